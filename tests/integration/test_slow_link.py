"""The relay over an emulated village uplink (kiosk-link-sim): everything arrives once and whole, cheaply."""

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from kiosk.config import Config, SyncConfig
from kiosk.logs import LOG_FILE
from kiosk.store.outbox import Outcome
from kiosk.store.store import open_store
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import PassReport, Relay
from kiosk.sync.throughput import LINK_BACKOFF_CAP_S, LINK_KEY
from tests.helpers.backlog import KIB, delivered, queue_backlog
from tests.helpers.link import dies_with_the_test, until


def _relay(store, url, **sync):
    config = Config(provincial_url=url, sync=SyncConfig(**sync))
    return Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(4), settings=store.settings)


class Running:
    """``relay.run_forever`` on a thread, stopped at the end of the ``with``."""

    def __init__(self, relay):
        self.relay, self.stop = relay, threading.Event()
        self.thread = threading.Thread(target=relay.run_forever, args=(self.stop,))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.relay.wake()
        self.thread.join(30)
        assert not self.thread.is_alive(), "the relay did not stop"


@pytest.mark.slow
def test_a_backlog_over_a_16k_link_that_cuts_every_connection_arrives_once_and_whole(
    kiosk_data_dir, province, emulated_link
):
    link = emulated_link(province, 16 * KIB, 64 * KIB, latency_ms=300, cut_after=(32 * KIB, 256 * KIB), seed=5)
    store = open_store(kiosk_data_dir)
    backlog = queue_backlog(store.outbox, 12, produce_kib=[200, 300, 420], evidence_kib=[60])
    store.close()
    limit = backlog.useful_bytes / (16 * KIB)
    env = dict(os.environ, KIOSK_PROVINCIAL_URL=link.url)
    command = [sys.executable, "-m", "kiosk", "sync"]
    relay = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=dies_with_the_test)
    try:
        until(lambda: delivered(province, backlog), 4 * limit + 60, "the backlog did not get through", relay)
    finally:
        relay.send_signal(signal.SIGTERM)
        relay.communicate(timeout=60)
    assert link.counters.cuts >= 4, "the link never cut: the test proved nothing"
    seen = {s["id"]: s for s in province.province.submissions()["submissions"]}
    assert set(seen) == backlog.ids
    store = open_store(kiosk_data_dir)
    for item in store.outbox.items(limit=100):
        assert item.state == "accepted" and item.provincial_receipt == seen[item.id]["receipt"]
    assert store.outbox.stats()["attachments_pending"] == 0
    assert store.settings.get(LINK_KEY)["rate"] > 4 * KIB
    store.close()
    for digest, (data, complete) in _held_photos(province).items():
        assert hashlib.sha256(data).hexdigest() == digest and complete
    assert set(_held_photos(province)) == set(backlog.photos)
    log = (kiosk_data_dir / "logs" / LOG_FILE).read_text()
    assert log.count("uploaded (") == len(backlog.photos)


def _held_photos(province) -> dict[str, tuple[bytes, bool]]:
    rows = province.province.conn.execute("SELECT hash, data, complete FROM attachments").fetchall()
    return {digest: (data, bool(complete)) for digest, data, complete in rows}


def test_at_100k_without_cuts_the_link_carries_at_most_1_3x_the_useful_bytes(store, province, emulated_link):
    link = emulated_link(province, 100 * KIB, 400 * KIB, latency_ms=300)
    backlog = queue_backlog(store.outbox, 12, produce_kib=[200, 300, 420], evidence_kib=[60])
    with Running(_relay(store, link.url)):
        until(lambda: delivered(province, backlog), 120, "the backlog did not get through")
    assert link.counters.up_bytes <= 1.3 * backlog.useful_bytes
    assert link.counters.connections == 1  # kept alive: a new connection costs a slow link a round trip


def test_a_request_queued_during_a_photo_upload_goes_before_the_rest_of_the_photo(store, province, emulated_link):
    link = emulated_link(province, 48 * KIB, 192 * KIB, latency_ms=50)
    backlog = queue_backlog(store.outbox, 1, produce_kib=[300], evidence_kib=[])
    digest = next(iter(backlog.photos))
    relay = _relay(store, link.url)
    with Running(relay):
        until(lambda: province.province.attachment_progress(digest)["received"] > 0, 60, "the photo never started")
        queued = store.outbox.enqueue("guides", {})
        relay.wake()
        until(lambda: store.outbox.get(queued.id).state == "accepted", 60, "the request was not sent")
        photo_then = province.province.attachment_progress(digest)
        until(lambda: delivered(province, backlog), 60, "the photo did not finish")
    assert not photo_then["complete"], "the request waited for the whole photo"


def test_photos_arrive_evidence_first_then_oldest_first(store, province, monkeypatch):
    completed = []
    chunk = province.province.attachment_chunk

    def recording(digest, offset, total, data):
        status, reply = chunk(digest, offset, total, data)
        if reply.get("complete"):
            completed.append(digest)
        return status, reply

    monkeypatch.setattr(province.province, "attachment_chunk", recording)
    farm_old = store.outbox.enqueue("farm_listing", {}, attachments={"photo": os.urandom(20 * KIB)})
    farm_new = store.outbox.enqueue("farm_listing", {}, attachments={"photo": os.urandom(20 * KIB)})
    evidence = store.outbox.enqueue("pension_cert", {}, attachments={"face": os.urandom(5 * KIB)})
    report = _relay(store, province.url).run_once()
    assert report.attachments == 3
    digests = [store.outbox.get(q.id, with_payload=True).payload["attachments"] for q in (evidence, farm_old, farm_new)]
    assert completed == [next(iter(d.values())) for d in digests]


def test_a_dropped_link_backs_off_seconds_an_erroring_province_minutes(store, province, monkeypatch):
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"p" * 5000})
    store.outbox.settle([Outcome(i.id, "accepted", receipt="R") for i in store.outbox.claim_due(1)])

    def wait_after(url) -> float:
        """After twelve failures in a row, how long the photo waits when the next one fails."""
        store.database.conn.execute("UPDATE attachments SET attempts = 12, next_attempt_at = 0")
        report = PassReport()
        _relay(store, url, backoff_base_s=2, backoff_cap_s=900, timeout_s=1)._upload_photos(report)
        assert report.attachments == 0
        return store.database.query("SELECT next_attempt_at FROM attachments")[0][0] - time.time()

    link_waits = [wait_after("http://127.0.0.1:9") for _ in range(20)]  # nothing listens there: a dead link
    assert all(0 <= w <= LINK_BACKOFF_CAP_S for w in link_waits) and max(link_waits) > 1
    monkeypatch.setattr(province.province, "attachment_chunk", lambda *a: (200, {"received": 0, "complete": False}))
    province_waits = [wait_after(province.url) for _ in range(20)]  # it answers, but takes nothing
    assert all(0 <= w <= 900 for w in province_waits) and max(province_waits) > 5 * LINK_BACKOFF_CAP_S
