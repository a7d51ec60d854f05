"""The relay as its own service: woken by requests another process saves, reporting to the county."""

import threading
import time

from kiosk.app.backend import Backend
from kiosk.app.devices import DeviceReport, DeviceState
from kiosk.app.relay_runner import RelayRunner
from kiosk.config import load_config
from kiosk.sim.provincial import fleet_page
from kiosk.store.store import open_store
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import DEVICE_STATES_KEY, Relay
from kiosk.sync.status import Network


def _wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _running_relay(store, province, **sync):
    config = province.config(**sync)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run_forever, args=(stop,), daemon=True)
    thread.start()
    return relay, stop, thread


def test_a_request_saved_by_another_process_wakes_an_idle_relay(store, province, kiosk_data_dir):
    # A probe interval far longer than the test: only the cross-process wake-up can deliver in time.
    relay, stop, thread = _running_relay(store, province, probe_interval_s=600)
    ui_side = open_store(kiosk_data_dir)  # its own connection, as the UI process has
    try:
        assert _wait_until(lambda: relay.status.network is Network.ONLINE)
        queued = ui_side.outbox.enqueue("guides", {"topic": "pension"})
        assert _wait_until(lambda: ui_side.outbox.get(queued.id).state == "accepted", timeout=5)
    finally:
        stop.set()
        relay.wake()
        thread.join(5)
        ui_side.close()


def test_heartbeat_reports_queue_set_aside_devices_and_version_to_the_fleet_page(store, province):
    store.settings.put(DEVICE_STATES_KEY, {"card_reader": "ok", "camera": "unplugged"})
    province.stop()  # nothing can be sent yet: the queue waits
    store.outbox.enqueue("guides", {"n": 1})
    rejected = store.outbox.enqueue("subsidy", {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "1"})
    province.start()
    relay, stop, thread = _running_relay(store, province, heartbeat_interval_s=0.2)
    try:
        assert _wait_until(lambda: province.province.fleet() and province.province.fleet()[0]["report"]["set_aside"])
    finally:
        stop.set()
        relay.wake()
        thread.join(5)
    report = province.province.fleet()[0]["report"]
    assert store.outbox.get(rejected.id).state == "rejected"
    assert report["queue_length"] == 0 and report["set_aside"] == 1
    assert report["devices"] == {"card_reader": "ok", "camera": "unplugged"}
    assert report["last_sync"] is not None and report["version"]
    page = fleet_page(province.province.fleet(), time.time())
    assert "demo-kiosk-0001" in page and "camera：unplugged" in page and "<script" not in page


def _ui_runner(kiosk_data_dir, devices):
    return RelayRunner(load_config(), lambda: open_store(kiosk_data_dir), devices)


def test_ui_with_the_relay_as_a_service_shows_the_relays_status(store, province, kiosk_data_dir, monkeypatch):
    monkeypatch.setenv("KIOSK_SYNC_RELAY", "service")
    monkeypatch.setattr("kiosk.app.relay_runner.WATCH_INTERVAL_S", 0.05)
    devices = DeviceReport()
    devices.report("camera", DeviceState.FAILED)
    runner = _ui_runner(kiosk_data_dir, devices)
    runner.start()
    ui = Backend(lambda: open_store(kiosk_data_dir), runner.wake)
    ui.start()
    relay, stop, thread = _running_relay(store, province, probe_interval_s=600)
    try:
        queued = ui.store().outbox.enqueue("guides", {"topic": "pension"})
        assert _wait_until(lambda: store.outbox.get(queued.id).state == "accepted")
        assert _wait_until(lambda: runner.status().network is Network.ONLINE and runner.status().queued == 0)
        assert store.settings.get(DEVICE_STATES_KEY) == {"camera": "failed"}  # for the service's heartbeat
    finally:
        runner.stop()
        ui.close()
        stop.set()
        relay.wake()
        thread.join(5)


def test_device_states_the_ui_saw_reach_the_county_in_the_heartbeat(kiosk_data_dir, province, monkeypatch):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", province.url)
    devices = DeviceReport()
    devices.report("card_reader", DeviceState.LOST)
    devices.report("camera", DeviceState.FAILED)
    runner = _ui_runner(kiosk_data_dir, devices)
    runner.start()
    try:
        assert _wait_until(lambda: bool(province.province.fleet()))
    finally:
        runner.stop()
    assert province.province.fleet()[0]["report"]["devices"] == {"card_reader": "lost", "camera": "failed"}
