from dataclasses import dataclass

import pytest

from kiosk.app.backend import Backend
from kiosk.app.devices import DeviceReport
from kiosk.app.relay_runner import RelayRunner
from kiosk.config import Config, load_config
from kiosk.store.store import open_store
from kiosk.ui.shell import build_shell


@pytest.fixture(autouse=True)
def taps_at_test_speed(monkeypatch):
    """A test taps far faster than a double tap: the window's guard against one is off, except in the
    tests of the guard itself (``kiosk.ui.window.TAP_GUARD_MS`` set back)."""
    import kiosk.ui.window

    monkeypatch.setattr(kiosk.ui.window, "TAP_GUARD_MS", 0)


@pytest.fixture
def shell(qapp):
    built = build_shell(qapp, dpi=102)
    yield built
    built.window.close()
    built.window.deleteLater()


@dataclass
class Running:
    """The kiosk's real store backend and relay runner, each on its own connection, as ``kiosk run`` has them."""

    config: Config
    backend: Backend
    relay: RelayRunner
    devices: DeviceReport


@pytest.fixture
def running(kiosk_data_dir, province, monkeypatch):
    """The real backend and relay against the reference province, retrying quickly."""
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", province.url)
    monkeypatch.setenv("KIOSK_SYNC_PROBE_INTERVAL", "0.5")
    monkeypatch.setenv("KIOSK_SYNC_BACKOFF_BASE", "0.1")
    monkeypatch.setenv("KIOSK_SYNC_BACKOFF_CAP", "1")
    config = load_config()
    devices = DeviceReport()
    relay = RelayRunner(config, lambda: open_store(kiosk_data_dir), devices, restart_s=0.2)
    backend = Backend(lambda: open_store(kiosk_data_dir), relay.wake)
    backend.start()
    relay.start()
    yield Running(config, backend, relay, devices)
    relay.stop()
    backend.close()
