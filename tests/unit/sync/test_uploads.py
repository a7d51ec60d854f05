"""One upload attempt against the real reference province on loopback, through the emulated link."""

import hashlib
import os

from kiosk.config import Config, SyncConfig
from kiosk.sync.client import ProvincialClient
from kiosk.sync.throughput import LinkMeter
from kiosk.sync.uploads import Ending, upload

KIB = 1024


def _client(url: str) -> ProvincialClient:
    return ProvincialClient(Config(provincial_url=url, sync=SyncConfig(timeout_s=3)))


def _held(province, digest: str) -> tuple[bytes, bool] | None:
    row = province.province.conn.execute("SELECT data, complete FROM attachments WHERE hash = ?", (digest,))
    found = row.fetchone()
    return None if found is None else (found[0], bool(found[1]))


def _upload(client, data, known=None, pause=lambda: False, meter=None):
    progress = []
    attempt = upload(
        client, meter or LinkMeter(), 3.0, hashlib.sha256(data).hexdigest(), data, known, pause,
        offered=lambda end: None, progressed=progress.append,
    )  # fmt: skip
    return attempt, progress


def test_resumes_from_the_offset_the_province_acknowledged_and_sends_only_the_rest(province, emulated_link):
    data = os.urandom(300 * KIB)
    digest = hashlib.sha256(data).hexdigest()
    province.province.attachment_chunk(digest, 0, len(data), data[: 120 * KIB])
    link = emulated_link(province)
    attempt, progress = _upload(_client(link.url), data)
    assert attempt.ending is Ending.DONE and _held(province, digest) == (data, True)
    assert progress[0] == 120 * KIB and progress[-1] == len(data) and progress == sorted(progress)
    assert 180 * KIB <= link.counters.up_bytes < 180 * KIB + 8 * KIB  # the rest and a few headers


def test_a_connection_cut_mid_chunk_keeps_what_arrived_and_the_attempt_carries_on(province, emulated_link):
    data = os.urandom(200 * KIB)
    link = emulated_link(province, cut_after=(50 * KIB, 50 * KIB))
    meter = LinkMeter(rate=float(KIB * KIB), chunk_cap=256 * KIB)  # one chunk that cannot fit between cuts
    attempt, _ = _upload(_client(link.url), data, meter=meter)
    assert attempt.ending is Ending.DONE and link.counters.cuts >= 3
    assert _held(province, hashlib.sha256(data).hexdigest()) == (data, True)
    assert link.counters.up_bytes < len(data) * 1.15  # no chunk was sent twice
    assert meter.chunk_cap < 256 * KIB  # and the chunks shrank after the drops


def test_a_cut_that_loses_the_whole_chunk_ends_the_attempt_as_a_link_failure(province, emulated_link):
    province.province.keep_cut_chunks = False  # a province that throws a chunk cut short away
    link = emulated_link(province, cut_after=(40 * KIB, 40 * KIB))
    meter = LinkMeter(rate=float(KIB * KIB), chunk_cap=64 * KIB)
    attempt, _ = _upload(_client(link.url), os.urandom(100 * KIB), meter=meter)
    assert attempt.ending is Ending.LINK_FAILED and attempt.received == 0
    assert meter.next_chunk() == 32 * KIB
    again, _ = _upload(_client(link.url), os.urandom(100 * KIB), meter=meter)
    assert again.received >= 32 * KIB  # the smaller chunks fit between the drops


def test_an_offset_that_does_not_move_ends_the_attempt_after_one_chunk(province, monkeypatch):
    data = os.urandom(64 * KIB)
    calls = []

    def never_moves(digest, offset, total, chunk):
        calls.append(offset)
        return 200, {"received": 0, "complete": False}

    monkeypatch.setattr(province.province, "attachment_chunk", never_moves)
    attempt, _ = _upload(_client(province.url), data)
    assert attempt.ending is Ending.STALLED and calls == [0]


def test_text_waiting_pauses_between_chunks_and_the_next_attempt_goes_on_without_asking(province, emulated_link):
    data = os.urandom(160 * KIB)
    link = emulated_link(province)
    client = _client(link.url)
    chunks = []
    attempt, _ = _upload(client, data, pause=lambda: len(chunks) > 0 or chunks.append(1) or False)
    assert attempt.ending is Ending.PAUSED and 0 < attempt.received < len(data)
    before = link.counters.up_bytes
    rest, progress = _upload(client, data, known=attempt.received)
    assert rest.ending is Ending.DONE and progress[0] > attempt.received
    assert link.counters.up_bytes - before < len(data) - attempt.received + 4 * KIB


def test_a_province_claiming_more_than_the_photo_holds_is_refused(province, monkeypatch):
    monkeypatch.setattr(province.province, "attachment_progress", lambda digest: {"received": 10**9, "complete": True})
    attempt, _ = _upload(_client(province.url), os.urandom(KIB))
    assert attempt.ending is Ending.REFUSED
