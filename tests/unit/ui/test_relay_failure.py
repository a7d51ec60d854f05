"""The relay dies of something unforeseen: the villager still saves and gets a receipt, and the relay comes back."""

import logging

from PySide6.QtCore import QSize

from kiosk.app.backend import Backend
from kiosk.app.devices import DeviceReport
from kiosk.app.relay_runner import RelayRunner
from kiosk.config import load_config
from kiosk.store.store import open_store
from kiosk.sync.relay import Relay
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import build_shell, render
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, _key_in


def test_a_relay_that_dies_never_breaks_the_villagers_save(
    qapp,
    qtbot,
    devices,  # noqa: F811
    province,
    kiosk_data_dir,
    monkeypatch,
    caplog,
):
    from kiosk.ui import checkin_flow

    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 100)
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", province.url)
    real_run = Relay.run_forever
    deaths = []

    def dies_the_first_time(relay, stop):  # past the relay's own guard: its thread ends
        if not deaths:
            deaths.append(True)
            raise RuntimeError("injected into the relay's thread")
        return real_run(relay, stop)

    monkeypatch.setattr(Relay, "run_forever", dies_the_first_time)
    config = load_config()
    relay = RelayRunner(config, lambda: open_store(kiosk_data_dir), DeviceReport(), restart_s=1.0)
    backend = Backend(lambda: open_store(kiosk_data_dir), relay.wake)
    shell = build_shell(qapp, config, dpi=102, devices=devices, backend=backend, status=relay)
    render(shell, "home", QSize(1920, 1080))
    try:
        with caplog.at_level(logging.ERROR, logger="kiosk.app.relay_runner"):
            backend.start()
            relay.start()
            qtbot.waitUntil(lambda: any("relay stopped" in r.getMessage() for r in caplog.records), timeout=10_000)
        [death] = [r for r in caplog.records if "relay stopped" in r.getMessage()]
        assert death.exc_info and "injected into the relay's thread" in str(death.exc_info[1])  # with its traceback

        _check_in_and_start(shell, qtbot, "subsidy")  # the relay's thread has closed its own connection by now
        form = shell.services.form
        _click(qtbot, _button(form, "耕地地力保护补贴"))
        _key_in(qtbot, form, "5")
        _key_in(qtbot, form, "13800138000")
        _click(qtbot, _button(form, "对，提交"))
        qtbot.waitUntil(lambda: shell.navigator.current == RECEIPT, timeout=10_000)
        receipt = shell.services.receipt.number.text()
        store = backend.store()
        [item] = store.outbox.items()
        assert item.receipt == receipt and not form.error.isVisible()

        qtbot.waitUntil(lambda: store.outbox.get(item.id).state == "accepted", timeout=15_000)  # it came back
    finally:
        shell.shutdown()
        shell.window.close()
        relay.stop()
        backend.close()
