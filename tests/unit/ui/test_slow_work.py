"""Slow work as a villager meets it, through the real widgets: said and shown at once, started once, never a freeze.

The province is a real loopback server: one that accepts connections and never answers, or the
reference province holding its answer to submissions; the store is real SQLite.
"""

import socket
import threading

import pytest
from PySide6.QtCore import QPoint, QSize

from kiosk.app.backend import Backend
from kiosk.app.devices import DeviceReport
from kiosk.app.relay_runner import RelayRunner
from kiosk.app.submit import SEEN_NEXT_TIME
from kiosk.config import load_config
from kiosk.sim.provincial import Handler
from kiosk.store.store import open_store
from kiosk.ui.screens.receipt import RECEIPT, SEND_LATER, SENT_NOW, UNANSWERED
from kiosk.ui.service_flow import QUERYING, SAVING
from kiosk.ui.shell import build_shell, render
from tests.helpers.province import start_province
from tests.helpers.speech import RecordingSpeaker
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, _key_in

ID_NUMBER = "410102195001012343"  # the simulated card's holder


@pytest.fixture
def silent_province():
    """A loopback server that accepts every connection and never answers a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    server.close()
    for connection in held:
        connection.close()


class HeldSubmissions(Handler):
    """The reference province, answering its health probe and heartbeats but holding every submission."""

    release = threading.Event()

    def do_POST(self) -> None:
        if self.path.startswith("/v1/submissions"):
            self.release.wait(30)
        super().do_POST()


@pytest.fixture
def held_province(tmp_path):
    HeldSubmissions.release = threading.Event()
    running = start_province(tmp_path / "province.db", handler=HeldSubmissions)
    yield running
    HeldSubmissions.release.set()
    running.stop()


def _kiosk(qapp, url, kiosk_data_dir, devices, monkeypatch, speaker=None, timeout_s=1):  # noqa: F811
    """The kiosk as ``kiosk run`` has it: the store backend and the relay on their own connections."""
    from kiosk.ui import checkin_flow

    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 100)
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", url)
    monkeypatch.setenv("KIOSK_SYNC_PROBE_INTERVAL", "0.5")
    monkeypatch.setenv("KIOSK_SYNC_TIMEOUT", str(timeout_s))
    monkeypatch.setenv("KIOSK_ANSWER_WAIT", "1")
    config = load_config()
    relay = RelayRunner(config, lambda: open_store(kiosk_data_dir), DeviceReport(), restart_s=0.2)
    backend = Backend(lambda: open_store(kiosk_data_dir), relay.wake)
    backend.start()
    relay.start()
    shell = build_shell(qapp, config, dpi=102, devices=devices, backend=backend, status=relay, speaker=speaker)
    render(shell, "home", QSize(1920, 1080))
    return shell, relay, backend


@pytest.fixture
def kiosk_at(qapp, kiosk_data_dir, devices, monkeypatch):  # noqa: F811
    made = []

    def make(url, speaker=None, timeout_s=1):
        made.append(_kiosk(qapp, url, kiosk_data_dir, devices, monkeypatch, speaker, timeout_s))
        return made[-1][0]

    yield make
    for shell, relay, backend in made:
        shell.shutdown()
        shell.window.close()
        relay.stop()
        backend.close()


def _at_the_read_back(kiosk, qtbot, service_id="social_security"):
    """Checked in by card, every question answered with the first choice or a plain valid value."""
    _check_in_and_start(kiosk, qtbot, service_id)
    form = kiosk.services.form
    while (field := form.form.step.field) is not None:
        if field.type == "choice":
            _click(qtbot, form.buttons[0])
        elif field.type == "phone":
            _key_in(qtbot, form, "13800138000")
        elif field.type in ("number", "money"):
            _key_in(qtbot, form, "12")
        else:
            form.line.setText("村委会")
            _click(qtbot, _button(form, "确定"))
    return _button(form, "对，提交")


def _tapped_lands_on_the_veil(kiosk, button) -> bool:
    """What a finger on ``button`` touches now: the veil over the window, or the button itself."""
    window = kiosk.window
    touched = window.childAt(button.mapTo(window, QPoint(button.width() // 2, button.height() // 2)))
    veil = kiosk.services.busy
    return touched is veil or veil.isAncestorOf(touched)


def test_offline_three_taps_on_submit_queue_one_request_and_say_so(kiosk_at, qtbot, silent_province, store):
    kiosk = kiosk_at(silent_province)
    submit = _at_the_read_back(kiosk, qtbot)
    for _ in range(3):  # she taps again and again while it works
        _click(qtbot, submit)
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    receipt = kiosk.services.receipt
    assert receipt.delivery.text() == SEND_LATER
    assert SEEN_NEXT_TIME in receipt.note.text()
    assert not kiosk.services.busy.isVisible()
    assert len(store.outbox.for_subject(ID_NUMBER)) == 1  # one question, one request


def test_the_header_counts_a_new_request_while_the_relay_still_waits_on_a_stalled_link(
    kiosk_at, qtbot, silent_province, store
):
    kiosk = kiosk_at(silent_province, timeout_s=60)  # the relay's first probe hangs for a minute
    strip = kiosk.window.status_strip
    assert "待发0" in strip.text.text()
    _click(qtbot, _at_the_read_back(kiosk, qtbot, "subsidy"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    qtbot.waitUntil(lambda: "待发1" in strip.text.text(), timeout=10_000)
    assert strip.text.text().startswith("连网中")  # counted while that first probe is still unanswered
    assert len(store.outbox.for_subject(ID_NUMBER)) == 1


def test_the_tap_is_answered_at_once_while_the_save_is_still_blocked(kiosk_at, qtbot, silent_province, store):
    speaker = RecordingSpeaker()
    kiosk = kiosk_at(silent_province, speaker)
    submit = _at_the_read_back(kiosk, qtbot)
    outbox = kiosk.services._submit._backend.store().outbox  # the kiosk's own connection
    enqueue, disk = outbox.enqueue, threading.Event()

    def slow_disk(*args, **kwargs):
        disk.wait(30)
        return enqueue(*args, **kwargs)

    outbox.enqueue = slow_disk
    try:
        _click(qtbot, submit)
        veil = kiosk.services.busy
        assert veil.isVisible() and veil.words.text() == SAVING  # shown while the save has not ended
        assert speaker.said[-1] == SAVING
        assert _tapped_lands_on_the_veil(kiosk, submit)
        _click(qtbot, veil)  # a tap on the veil itself is answered too: the line again
        assert speaker.said[-2:] == [SAVING, SAVING]
        _click(qtbot, submit)  # a tap that reached the button itself starts nothing either
        assert kiosk.navigator.current == "form"
    finally:
        disk.set()
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    assert len(store.outbox.for_subject(ID_NUMBER)) == 1
    assert not _tapped_lands_on_the_veil(kiosk, kiosk.window.home_button)


def test_an_online_query_not_answered_in_time_becomes_an_offline_one_and_says_so(kiosk_at, qtbot, held_province, store):
    speaker = RecordingSpeaker()
    kiosk = kiosk_at(held_province.url, speaker)
    qtbot.waitUntil(kiosk.services._online, timeout=10_000)  # the province answers its health probe
    answers, waited = kiosk.services._answers, []
    wait_for = answers.wait_for
    answers.wait_for = lambda outbox_id, timeout_s: waited.append(timeout_s) or wait_for(outbox_id, timeout_s)
    _click(qtbot, _at_the_read_back(kiosk, qtbot))
    assert kiosk.services.busy.words.text() == QUERYING and speaker.said[-1] == QUERYING
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)  # after answer_wait_s (1 s here)
    receipt = kiosk.services.receipt
    assert receipt.delivery.text() == UNANSWERED
    assert SEEN_NEXT_TIME in receipt.note.text()  # the answer will be there at her next check-in
    assert len(store.outbox.for_subject(ID_NUMBER)) == 1
    assert waited == [1.0]  # KIOSK_ANSWER_WAIT, declared once in the configuration


def test_online_the_receipt_says_it_is_on_its_way_and_back_from_it_never_reopens_the_form(kiosk_at, qtbot, province):
    kiosk = kiosk_at(province.url)
    qtbot.waitUntil(kiosk.services._online, timeout=10_000)
    _click(qtbot, _at_the_read_back(kiosk, qtbot, "subsidy"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    receipt = kiosk.services.receipt
    assert receipt.delivery.text() == SENT_NOW and receipt.delivery.text() not in (SEND_LATER, UNANSWERED)
    kiosk.window.go_back()  # what saying 返回 does (the voice control calls the button's own action)
    assert kiosk.navigator.current == "rating"
    _click(qtbot, kiosk.window.back_button)  # back from the faces: the receipt, never the form
    assert kiosk.navigator.current == RECEIPT
    _click(qtbot, kiosk.window.home_button)
    _click(qtbot, kiosk.rating.screen.skip_button)
    assert kiosk.navigator.at_home and kiosk.services.form.form is None
