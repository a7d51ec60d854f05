"""A province that drips its replies or never moves an upload's offset: the relay is never stuck, never spins."""

import hashlib
import os
import random
import threading
import time

from kiosk.config import Config, SyncConfig
from kiosk.sim.provincial import Handler
from kiosk.store.outbox import Outcome
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.province import start_province

DRIP_S = 0.2


def dripping(*prefixes: str) -> type[Handler]:
    """A province whose replies to these paths come a byte at a time, one every 0.2 s; it counts requests."""

    class Dripping(Handler):
        requests: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads it

        def _handle(self, method: str) -> None:
            self.requests.append(f"{method} {self.path}")
            super()._handle(method)

        def _send(self, status, body, extra, content_type="application/json"):
            if not self.path.startswith(prefixes):
                return super()._send(status, body, extra, content_type)
            head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
            for byte in head.encode() + body:
                self.wfile.write(bytes([byte]))
                time.sleep(DRIP_S)
            return None

    return Dripping


def _relay(store, province, **sync):
    config = Config(provincial_url=province.url, sync=SyncConfig(**({"timeout_s": 1} | sync)))
    return Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(2))


def _pass_ends(relay, limit_s=60):
    """Run one pass on a thread; it must come back (the limit only keeps a hung build from hanging CI)."""
    reports = []
    worker = threading.Thread(target=lambda: reports.append(relay.run_once()), daemon=True)
    worker.start()
    worker.join(limit_s)
    assert not worker.is_alive(), "the relay is stuck on a dripping province"
    return reports[0]


def _photo(store, service: str, field: str, size: int) -> str:
    photo = os.urandom(size)
    store.outbox.enqueue(service, {}, attachments={field: photo})
    return hashlib.sha256(photo).hexdigest()


def _complete(province, digest: str) -> bool:
    return province.province.attachment_progress(digest)["complete"]


def test_a_photo_whose_replies_drip_is_dropped_backed_off_and_the_rest_of_the_queue_served(store, tmp_path):
    evidence = _photo(store, "pension_cert", "face", 5_000)  # first in line, and its replies drip
    handler = dripping(f"/v1/attachments/{evidence}")
    province = start_province(tmp_path / "drip.db", handler=handler)
    try:
        produce = _photo(store, "farm_listing", "photo", 20_000)
        text = store.outbox.enqueue("guides", {})
        report = _pass_ends(_relay(store, province))
        assert store.outbox.get(text.id).state == "accepted"
        assert _complete(province, produce) and report.attachments == 1
        states = dict(store.database.query("SELECT hash, state FROM attachments"))
        assert states == {evidence: "pending", produce: "uploaded"}  # its answer never came whole
        assert store.outbox.pending_attachments(5) == []  # and it waits out a backoff
        dripped = [r for r in handler.requests if evidence in r]
        assert 1 <= len(dripped) <= 2  # its chunk, then where it stands: no more
    finally:
        province.stop()


def test_a_batch_reply_that_drips_ends_the_attempt_and_the_requests_wait_their_turn(store, tmp_path):
    handler = dripping("/v1/submissions/batch")
    province = start_province(tmp_path / "drip.db", handler=handler)
    try:
        queued = [store.outbox.enqueue("guides", {"n": n}) for n in range(3)]
        report = _pass_ends(_relay(store, province))
        assert not report.reachable and report.retried == 3
        for item in queued:
            kept = store.outbox.get(item.id)
            assert kept.state == "queued" and kept.next_attempt_at > time.time() - 1
        assert sum(r.startswith("POST /v1/submissions/batch") for r in handler.requests) == 1
    finally:
        province.stop()


def test_a_province_that_never_moves_the_offset_gets_one_chunk_an_attempt_not_thousands(store, province, monkeypatch):
    puts = []

    def never_moves(digest, offset, total, chunk):
        puts.append(time.monotonic())
        return 200, {"received": 0, "complete": False}

    stuck = _photo(store, "pension_cert", "face", 8_000)
    monkeypatch.setattr(province.province, "attachment_chunk", never_moves)
    store.outbox.settle([Outcome(i.id, "accepted", receipt="R") for i in store.outbox.claim_due(5)])
    relay = _relay(store, province, backoff_base_s=0.5, backoff_cap_s=900, probe_interval_s=0.2)
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop,))
    worker.start()
    try:
        time.sleep(4)  # the relay runs free: how often does it knock?
        text = store.outbox.enqueue("guides", {})
        relay.wake()
        deadline = time.monotonic() + 30
        while store.outbox.get(text.id).state != "accepted":
            assert time.monotonic() < deadline, "the stuck photo held up the queue"
            time.sleep(0.05)
    finally:
        stop.set()
        relay.wake()
        worker.join(30)
    assert 1 <= len(puts) <= 8  # backing off: 0.5 s, 1 s, 2 s, ... at most, never a loop
    row = store.database.query("SELECT hash, attempts, received FROM attachments")[0]
    assert row == (stuck, len(puts), 0)
