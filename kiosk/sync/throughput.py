"""What the kiosk knows of its uplink: measured throughput, the next chunk's size, the time a request is allowed.

Bounds (README, "Sync on a slow link"):
- chunks between 8 KiB and 1 MiB; the first 32 KiB; after a success the next may be up to four
  times larger, up to about ``CHUNK_S`` seconds of link time at the measured rate; after a
  failure it is at most half the failed one, so a link that drops connections gets chunks that
  fit between the drops;
- a request is allowed ``floor + MARGIN × bytes ÷ throughput`` seconds, at most ``CEILING_S``,
  where the floor is ``[sync] timeout_s``; before anything is measured the throughput is taken
  as ``ASSUMED_RATE`` (a poor 2G uplink);
- link failures back off briefly (``LINK_BACKOFF_CAP_S``), unlike a province that answers errors.

The estimate is kept in the settings table between passes and processes (``LINK_KEY``), with
what the last pass that uploaded anything achieved, for ``kiosk doctor``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

LINK_KEY = "upload_link"
DOWNLOAD_LINK_KEY = "download_link"  # guide media: the downlink has a rate of its own
MIN_CHUNK, FIRST_CHUNK, MAX_CHUNK = 8 * 1024, 32 * 1024, 1024 * 1024
CHUNK_S = 8.0  # long enough that a round trip is a small share of a chunk, short enough that a stall loses little
GROWTH = 4
ASSUMED_RATE = 8 * 1024.0  # bytes/s before anything is measured
MARGIN = 3.0
CEILING_S = 120.0
LINK_BACKOFF_CAP_S = 30.0
WEIGHT = 0.4  # of the newest sample in the running estimate


@dataclass
class PassFigures:
    """What one relay pass uploaded: acknowledged bytes and the time spent in upload requests."""

    bytes: int = 0
    seconds: float = 0.0
    at: float = 0.0

    @property
    def rate(self) -> float | None:
        return self.bytes / self.seconds if self.seconds > 0 else None


@dataclass
class LinkMeter:
    rate: float | None = None  # bytes/s upstream, as measured by acknowledged chunks
    chunk_cap: int = FIRST_CHUNK
    last_pass: PassFigures | None = None

    @classmethod
    def from_saved(cls, saved: object) -> LinkMeter:
        """The estimate kept by an earlier pass; a fresh one if there is none or it does not read."""
        if not isinstance(saved, dict):
            return cls()
        try:
            rate = saved.get("rate")
            rate = float(rate) if rate is not None and float(rate) > 0 else None
            cap = min(MAX_CHUNK, max(MIN_CHUNK, int(saved.get("chunk_cap", FIRST_CHUNK))))
            last = saved.get("last_pass")
            last_pass = PassFigures(int(last["bytes"]), float(last["seconds"]), float(last["at"])) if last else None
        except (TypeError, ValueError, KeyError):
            return cls()
        return cls(rate, cap, last_pass)

    def saved(self) -> dict:
        return {"rate": self.rate, "chunk_cap": self.chunk_cap, "last_pass": self.last_pass and asdict(self.last_pass)}

    def next_chunk(self) -> int:
        fits = (self.rate or ASSUMED_RATE) * CHUNK_S
        return int(max(MIN_CHUNK, min(self.chunk_cap, fits, MAX_CHUNK)))

    def next_piece(self, done: int, total: int) -> int:
        """How many bytes to move next: a chunk that fits the link, or the rest when only a short tail would
        be left, since a tail of its own would cost a round trip."""
        length = self.next_chunk()
        return total - done if total - done <= length * 3 // 2 else length

    def time_allowed(self, nbytes: int, floor_s: float) -> float:
        return min(CEILING_S, floor_s + MARGIN * nbytes / (self.rate or ASSUMED_RATE))

    def succeeded(self, nbytes: int, seconds: float) -> None:
        """A chunk acknowledged: learn the rate, and let the next chunk be larger."""
        if seconds > 0 and nbytes >= MIN_CHUNK // 2:  # a tiny tail says more about latency than rate
            sample = nbytes / seconds
            self.rate = sample if self.rate is None else (1 - WEIGHT) * self.rate + WEIGHT * sample
        self.chunk_cap = min(MAX_CHUNK, max(self.chunk_cap, GROWTH * nbytes))

    def failed(self, nbytes: int) -> None:
        """A chunk of ``nbytes`` did not get through whole: the next is at most half of it."""
        self.chunk_cap = max(MIN_CHUNK, min(self.chunk_cap, nbytes) // 2)

    def record_pass(self, nbytes: int, seconds: float) -> None:
        if nbytes > 0:
            self.last_pass = PassFigures(nbytes, round(seconds, 3), time.time())
