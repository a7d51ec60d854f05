"""The link estimate: chunks start small, grow with success, shrink with failure, within bounds; time allowed."""

import pytest

from kiosk.sync.throughput import (
    ASSUMED_RATE,
    CEILING_S,
    CHUNK_S,
    FIRST_CHUNK,
    MARGIN,
    MAX_CHUNK,
    MIN_CHUNK,
    LinkMeter,
)

KIB = 1024


def test_chunks_start_small_and_grow_with_successes_up_to_what_the_link_carries_in_a_few_seconds():
    meter = LinkMeter()
    assert meter.next_chunk() == FIRST_CHUNK
    sizes = []
    for _ in range(8):
        size = meter.next_chunk()
        sizes.append(size)
        meter.succeeded(size, size / (16 * KIB))  # a 16 KiB/s uplink
    assert sizes == sorted(sizes) and sizes[1] > sizes[0]
    assert meter.rate == pytest.approx(16 * KIB)
    assert sizes[-1] == int(16 * KIB * CHUNK_S)


def test_a_fast_link_is_bounded_by_the_largest_chunk():
    meter = LinkMeter()
    for _ in range(10):
        meter.succeeded(meter.next_chunk(), meter.next_chunk() / (10 * KIB * KIB))
    assert meter.next_chunk() == MAX_CHUNK


def test_a_failure_halves_the_chunk_and_never_below_the_smallest():
    meter = LinkMeter(rate=16 * KIB, chunk_cap=128 * KIB)
    assert meter.next_chunk() == 128 * KIB
    meter.failed(128 * KIB)
    assert meter.next_chunk() == 64 * KIB
    for _ in range(10):
        meter.failed(meter.next_chunk())
    assert meter.next_chunk() == MIN_CHUNK


def test_time_allowed_follows_bytes_and_throughput_between_a_floor_and_a_ceiling():
    unmeasured = LinkMeter()
    assert unmeasured.time_allowed(0, 10) == 10
    assert unmeasured.time_allowed(64 * KIB, 10) == pytest.approx(10 + MARGIN * 64 * KIB / ASSUMED_RATE)
    measured = LinkMeter(rate=64 * KIB)
    assert measured.time_allowed(64 * KIB, 10) == pytest.approx(10 + MARGIN)
    assert measured.time_allowed(1024 * KIB * KIB, 10) == CEILING_S


def test_the_estimate_survives_being_saved_and_garbage_gives_a_fresh_one():
    meter = LinkMeter(rate=20_000.0, chunk_cap=96 * KIB)
    meter.record_pass(300_000, 15.0)
    again = LinkMeter.from_saved(meter.saved())
    assert (again.rate, again.chunk_cap, again.last_pass.rate) == (20_000.0, 96 * KIB, 20_000.0)
    for garbage in (None, "x", {"rate": "fast"}, {"rate": -1, "chunk_cap": 10**12}, {"last_pass": {"bytes": 1}}):
        restored = LinkMeter.from_saved(garbage)
        assert restored.rate is None or restored.rate > 0
        assert MIN_CHUNK <= restored.chunk_cap <= MAX_CHUNK
