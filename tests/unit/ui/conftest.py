import pytest

from kiosk.app.background_sync import BackgroundSync
from kiosk.ui.shell import build_shell


@pytest.fixture
def shell(qapp):
    built = build_shell(qapp, dpi=102)
    yield built
    built.window.close()
    built.window.deleteLater()


@pytest.fixture
def background_sync(kiosk_data_dir, province, monkeypatch):
    """The kiosk's real background sync against the reference province, retrying quickly."""
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", province.url)
    monkeypatch.setenv("KIOSK_SYNC_PROBE_INTERVAL", "0.5")
    monkeypatch.setenv("KIOSK_SYNC_BACKOFF_BASE", "0.1")
    monkeypatch.setenv("KIOSK_SYNC_BACKOFF_CAP", "1")
    running = BackgroundSync(kiosk_data_dir)
    running.start()
    yield running
    running.stop()
