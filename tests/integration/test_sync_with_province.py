"""The relay against the real reference provincial server on loopback."""

import hashlib
import random
import statistics
import threading
import time

import pytest

from kiosk.config import SyncConfig
from kiosk.sync import client as client_module
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay, backoff_delay
from kiosk.sync.status import Network
from tests.helpers.evidence import live_evidence
from tests.helpers.province import start_province


def _relay(store, province, **sync):
    config = province.config(**sync)
    return Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(3))


def _at_province(province):
    return {s["id"]: s for s in province.province.submissions()["submissions"]}


def test_queued_request_reaches_the_province_with_its_payload_and_receipt(store, province):
    payload = {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}
    queued = store.outbox.enqueue("subsidy", payload)
    report = _relay(store, province).run_once()
    assert (report.sent, report.accepted) == (1, 1)
    item = store.outbox.get(queued.id)
    seen = _at_province(province)[queued.id]
    assert item.state == "accepted" and item.provincial_receipt == seen["receipt"]
    row = province.province.conn.execute("SELECT payload FROM submissions WHERE id = ?", (queued.id,)).fetchone()
    assert row[0] == '{"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}'


def test_rejection_is_set_aside_in_plain_words_and_blocks_nothing(store, province):
    too_big = store.outbox.enqueue(
        "subsidy", {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "13800138000"}
    )
    fine = store.outbox.enqueue("guides", {})
    relay = _relay(store, province)
    relay.run_once()
    rejected = store.outbox.get(too_big.id)
    assert rejected.state == "rejected"
    assert rejected.last_error.startswith("省平台说不符合申领条件") and "500 亩" in rejected.last_error
    assert store.outbox.get(fine.id).state == "accepted"
    assert relay.run_once().sent == 0
    store.outbox.retry(too_big.id)
    assert relay.run_once().rejected == 1


def test_batch_committed_then_connection_dropped_is_resent_and_deduplicated(store, province, monkeypatch):
    queued = [store.outbox.enqueue("guides", {"n": n}) for n in range(5)]
    monkeypatch.setattr(province.province, "failure", lambda: "drop")
    relay = _relay(store, province)
    first = relay.run_once()
    assert (first.accepted, first.reachable) == (0, False)
    assert len(_at_province(province)) == 5
    monkeypatch.setattr(province.province, "failure", lambda: None)
    store.outbox.make_all_due()
    second = relay.run_once()
    assert (second.accepted, second.duplicates) == (5, 5)
    seen = _at_province(province)
    for q in queued:
        assert store.outbox.get(q.id).provincial_receipt == seen[q.id]["receipt"]
    assert province.province.submissions()["duplicate_deliveries"] == 5


def test_province_answering_5xx_drains_once_healthy(tmp_path, store):
    province = start_province(tmp_path / "p.db", fail_rate=0.6, seed=11)
    try:
        ids = [store.outbox.enqueue("guides", {"n": n}).id for n in range(30)]
        relay = _relay(store, province, batch_size=5)
        for _ in range(200):
            store.outbox.make_all_due()
            relay.run_once()
            if store.outbox.stats()["queued"] == 0:
                break
        assert store.outbox.stats()["accepted"] == 30
        assert set(_at_province(province)) == set(ids)
    finally:
        province.stop()


def test_photos_go_in_their_own_lane_and_resume_where_they_stopped(store, province):
    photo = random.Random(5).randbytes(700 * 1024)
    digest = hashlib.sha256(photo).hexdigest()
    queued = store.outbox.enqueue("farm_listing", {"product": "fruit"}, attachments={"photo": photo})
    province.province.attachment_chunk(digest, 0, len(photo), photo[:300_000])
    report = _relay(store, province).run_once()
    assert report.accepted == 1 and report.attachments == 1
    assert store.outbox.get(queued.id).state == "accepted"
    stored = province.province.conn.execute("SELECT data, complete FROM attachments WHERE hash = ?", (digest,))
    assert stored.fetchone() == (photo, 1)
    assert store.outbox.stats()["attachments_pending"] == 0


def test_text_is_sent_even_while_the_photo_lane_fails(store, province, monkeypatch):
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"p" * 1000})
    text = store.outbox.enqueue("pension_cert", {"liveness": live_evidence()})
    monkeypatch.setattr(
        ProvincialClient, "put_attachment_chunk", lambda *a: (_ for _ in ()).throw(client_module.ProvinceError("x"))
    )
    _relay(store, province).run_once()
    assert store.outbox.get(text.id).state == "accepted"
    assert store.outbox.stats()["attachments_pending"] == 1


def test_kiosk_clock_an_hour_off_still_gets_through(store, province, monkeypatch):
    real = time.time
    monkeypatch.setattr(client_module.time, "time", lambda: real() - 3600)
    store.outbox.enqueue("guides", {})
    assert _relay(store, province).run_once().accepted == 1


def test_reference_data_and_heartbeat(province):
    client = ProvincialClient(province.config())
    etag, body = client.fetch_reference("subsidy_types", None)
    assert "耕地地力保护补贴" in body.decode()
    assert client.fetch_reference("subsidy_types", etag) is None
    client.heartbeat({"queued": 0, "version": "test"})
    assert province.province.conn.execute("SELECT kiosk FROM heartbeats").fetchone() == ("demo-kiosk-0001",)


def test_backoff_grows_is_capped_and_jittered():
    config = SyncConfig(backoff_base_s=2, backoff_cap_s=900)
    rng = random.Random(1)
    samples = {n: [backoff_delay(n, config, rng) for _ in range(400)] for n in range(12)}
    for n, delays in samples.items():
        assert all(0 <= d <= min(900, 2 * 2**n) for d in delays)
        assert len({round(d, 6) for d in delays}) > 300
    means = [statistics.mean(samples[n]) for n in range(9)]
    assert means == sorted(means)
    assert statistics.mean(samples[11]) == pytest.approx(450, rel=0.15)


def test_retry_schedule_spreads_out_while_the_province_is_down(store, tmp_path):
    province = start_province(tmp_path / "p.db")
    province.stop()
    clock = [10_000.0]
    store.outbox._clock = lambda: clock[0]
    queued = store.outbox.enqueue("guides", {})
    relay = _relay(store, province, backoff_base_s=2, backoff_cap_s=900, timeout_s=1)
    waits = []
    for _ in range(10):
        store.outbox.make_all_due()
        relay.run_once()
        waits.append(store.outbox.get(queued.id).next_attempt_at - clock[0])
    assert all(0 <= w <= min(900, 2 * 2**n) for n, w in enumerate(waits))
    assert max(waits[6:]) > max(waits[:3])
    assert relay.status.network == Network.OFFLINE


def test_flapping_network_drains_exactly_once(store, tmp_path):
    province = start_province(tmp_path / "flap.db")
    port = province.port
    relay = _relay(store, province, batch_size=3, probe_interval_s=0.02, timeout_s=1)
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop,))
    worker.start()
    ids = []
    try:
        for cycle in range(8):
            for n in range(5):
                ids.append(store.outbox.enqueue("guides", {"cycle": cycle, "n": n}).id)
                relay.wake()
            time.sleep(0.05)
            if cycle % 2 == 0:
                province.stop()
            else:
                province = start_province(tmp_path / "flap.db", port=port)
            time.sleep(0.1)
        if cycle % 2 == 0:
            province = start_province(tmp_path / "flap.db", port=port)
        deadline = time.time() + 30
        while store.outbox.stats()["accepted"] < len(ids) and time.time() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        relay.wake()
        worker.join()
    assert store.outbox.stats()["accepted"] == len(ids)
    seen = _at_province(province)
    assert set(seen) == set(ids)
    province.stop()


def test_with_nothing_to_send_the_network_state_is_probed_not_assumed(store, tmp_path):
    province = start_province(tmp_path / "p.db")
    relay = _relay(store, province, timeout_s=1)
    assert relay.run_once().reachable and relay.status.network == Network.ONLINE
    province.stop()
    assert not relay.run_once().reachable and relay.status.network == Network.OFFLINE
