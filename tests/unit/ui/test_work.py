"""The one way to run background work: results on the GUI thread, and no failure dropped without a trace."""

import logging
import threading

import pytest

from kiosk.errors import KioskError
from kiosk.ui.work import UNFORESEEN, BackgroundWork


@pytest.fixture
def work(qapp):
    running = BackgroundWork(name="test")
    yield running
    running.shutdown()


def _on_gui_thread(seen):
    return lambda value: seen.append((value, threading.current_thread() is threading.main_thread()))


def test_a_result_comes_back_on_the_gui_thread(work, qtbot):
    seen = []
    work.run(lambda: threading.current_thread().name, _on_gui_thread(seen))
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    [(worker_name, on_gui)] = seen
    assert worker_name.startswith("test") and on_gui


def test_a_failure_nobody_handles_is_logged_with_its_traceback(work, qtbot, caplog):
    def broken():
        raise ZeroDivisionError("a bug in a job")

    def refused():
        raise KioskError("磁盘满了")

    with caplog.at_level(logging.WARNING, logger="kiosk.ui.work"):
        work.run(broken, lambda _result: pytest.fail("a failed job has no result"))
        work.run(refused)
        qtbot.waitUntil(lambda: len(caplog.records) == 2, timeout=5_000)
    bug, plain = caplog.records
    assert bug.levelno == logging.ERROR and isinstance(bug.exc_info[1], ZeroDivisionError)
    assert "磁盘满了" in plain.getMessage() and isinstance(plain.exc_info[1], KioskError)


def test_a_handled_failure_reaches_the_gui_thread_in_plain_words(work, qtbot, caplog):
    seen = []

    def broken():
        raise KeyError("field_id")

    def refused():
        raise KioskError("存储空间满了，这次没能保存，请叫志愿者处理。")

    with caplog.at_level(logging.ERROR, logger="kiosk.ui.work"):
        work.run(broken, failed=lambda error: _on_gui_thread(seen)(error.message))
        work.run(refused, failed=lambda error: _on_gui_thread(seen)(error.message))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5_000)
    assert seen == [(UNFORESEEN, True), ("存储空间满了，这次没能保存，请叫志愿者处理。", True)]
    assert "KeyError" not in UNFORESEEN and isinstance(caplog.records[0].exc_info[1], KeyError)  # the log has it


def test_work_asked_for_once_the_kiosk_is_closing_is_not_started(qapp, caplog):
    work = BackgroundWork(name="closing")
    work.shutdown()
    ran = []
    with caplog.at_level(logging.INFO, logger="kiosk.ui.work"):
        work.run(lambda: ran.append(True))  # as a flow's screen change while the kiosk closes
    assert ran == [] and "closing job not started" in caplog.text
