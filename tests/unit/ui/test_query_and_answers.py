"""社保查询 by clicks with the real background sync: answered at once online; offline, kept for the next visit."""

import pytest
from PySide6.QtCore import QSize

from kiosk.ui.screens.answer import ANSWER
from kiosk.ui.screens.checkin import WELCOME
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import build_shell, render
from kiosk.voice.lines import text_of
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click


@pytest.fixture
def kiosk_config(running):
    return running.config


@pytest.fixture
def kiosk(qapp, running, kiosk_config, devices, monkeypatch):  # noqa: F811
    from kiosk.ui import checkin_flow

    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 100)
    shell = build_shell(qapp, kiosk_config, dpi=102, devices=devices, backend=running.backend, status=running.relay)
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def _ask_for_pension(kiosk, qtbot):
    _check_in_and_start(kiosk, qtbot, "social_security")
    form = kiosk.services.form
    _click(qtbot, _button(form, "养老金"))
    _click(qtbot, _button(form, "对，提交"))


def _lines(screen):
    return [label.text() for label in screen._labels]


def test_online_the_answer_is_shown_and_spoken_at_once(kiosk, qtbot, province):
    _ask_for_pension(kiosk, qtbot)
    qtbot.waitUntil(lambda: kiosk.navigator.current == ANSWER, timeout=15_000)
    lines = _lines(kiosk.services.answer)
    assert kiosk.window.title.text() == "社保查询结果"
    assert lines[0].startswith("养老金每月 ") and lines[0].endswith(" 元")
    headline, *details = kiosk.services.answer._labels
    biggest = max(label.font().pixelSize() for label in [*details, kiosk.window.title, kiosk.services.answer.note])
    assert headline.font().pixelSize() > biggest and headline.font().bold()  # what she asked, largest
    assert "回执号" in kiosk.services.answer.note.text()
    sent = province.province.conn.execute("SELECT payload FROM submissions").fetchone()[0]
    assert '"topic": "pension"' in sent and '"id_number": "410102195001012343"' in sent


def test_offline_the_answer_waits_encrypted_for_the_next_check_in(kiosk, qtbot, province, store):
    province.stop()
    _ask_for_pension(kiosk, qtbot)
    for _ in range(2):  # nothing seems to happen while it waits for an answer, so she taps again
        qtbot.wait(300)
        _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=20_000)
    assert len(store.outbox.for_subject("410102195001012343")) == 1  # one question, one request
    assert "结果回来后，您下次来登记身份就能看到" in kiosk.services.receipt.note.text()
    _click(qtbot, kiosk.window.home_button)

    province.start()  # the network comes back while nobody is at the kiosk
    qtbot.waitUntil(lambda: bool(store.answers.unseen_for("410102195001012343")), timeout=20_000)
    raw = b"".join(p.read_bytes() for p in (store.database.path.parent).glob("kiosk.db*"))
    assert "养老金每月".encode() not in raw

    _click(qtbot, kiosk.window.screens["home"].service_buttons["subsidy"])
    _click(qtbot, kiosk.window.screens["service.subsidy"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.card_button)
    qtbot.waitUntil(lambda: kiosk.checkin.welcome.answers_button.isVisible(), timeout=10_000)
    assert kiosk.navigator.current == WELCOME
    assert kiosk.checkin.welcome.answers_button.text() == "看结果（1 条）"
    assert "省里有 1 条给您的结果" in text_of(kiosk.checkin.welcome.prompt)
    _click(qtbot, kiosk.checkin.welcome.answers_button)
    assert kiosk.navigator.current == ANSWER and _lines(kiosk.services.answer)[0].startswith("养老金每月")
    qtbot.waitUntil(lambda: not store.answers.unseen_for("410102195001012343"), timeout=5_000)
    _click(qtbot, kiosk.window.back_button)
    assert kiosk.navigator.current == WELCOME and not kiosk.checkin.welcome.answers_button.isVisible()
