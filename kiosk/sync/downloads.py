"""One attempt at downloading a guide media file over a slow, dropping link: the upload lane, the other way.

The file grows on disk as its bytes arrive (``FILE.part``), so what is there after a dropped
connection, a time-out or a ``kill -9`` is where the next request resumes, with a Range. Each
request is sized and timed by a ``LinkMeter`` of its own (the downlink is not the uplink), a drop
that still brought bytes carries on in the same attempt, and an attempt that brings nothing ends:
the relay backs off. Once the file is whole, its size and SHA-256 are checked against the
manifest; a file that does not match is deleted (``Ending.CORRUPT``) and fetched again later.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import TYPE_CHECKING

from kiosk.sync.client import NotKept, ProvinceError, ProvinceUnreachable, ProvincialClient
from kiosk.sync.uploads import Attempt, Ending

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kiosk.sync.throughput import LinkMeter


def download(
    client: ProvincialClient,
    meter: LinkMeter,
    floor_s: float,
    digest: str,
    size: int,
    part: Path,
    pause: Callable[[], bool],
) -> Attempt:
    """Fetch the rest of ``part`` (``size`` bytes whose SHA-256 is ``digest``) from the bytes on disk on."""
    held = part.stat().st_size if part.exists() else 0
    if held > size:  # not this file's beginning, whatever it is
        part.unlink()
        held = 0
    attempt = Attempt(Ending.DONE, held)
    with open(part, "ab", buffering=0) as out:  # unbuffered: what was written is what tell() says
        while attempt.received < size:
            if pause():
                attempt.ending = Ending.PAUSED
                return attempt
            before = attempt.received
            length = meter.next_piece(before, size)
            started = time.monotonic()
            dropped = None
            try:
                allowed = meter.time_allowed(length, floor_s)
                client.fetch_media(digest, before, length, size, allowed, lambda piece: _write_all(out, piece))
            except ProvinceUnreachable as error:
                dropped = str(error)
            except ProvinceError as error:
                attempt.ending, attempt.reason = Ending.REFUSED, str(error)
            except NotKept as error:
                attempt.ending, attempt.reason = Ending.NOT_KEPT, str(error)
            finally:
                if (unsynced := _synced(out)) and attempt.ending is not Ending.NOT_KEPT:
                    attempt.ending, attempt.reason = Ending.NOT_KEPT, unsynced
                took = time.monotonic() - started
                attempt.seconds += took
                attempt.received = out.tell()
                attempt.acknowledged += attempt.received - before
            if attempt.ending in (Ending.REFUSED, Ending.NOT_KEPT):
                return attempt
            if dropped is None:
                meter.succeeded(attempt.received - before, took)
            else:
                meter.failed(length)
            if attempt.received <= before:  # only a drop brings nothing: a whole reply is at least a byte
                attempt.ending, attempt.reason = Ending.LINK_FAILED, dropped or "nothing arrived"
                return attempt
    if not _matches(part, digest):
        part.unlink()
        attempt.ending, attempt.reason = Ending.CORRUPT, "its SHA-256 does not match the manifest"
    return attempt


def _write_all(out, piece: bytes) -> None:
    view = memoryview(piece)
    while view:
        view = view[out.write(view) :]


def _synced(out) -> str | None:
    """What is on disk is the resume point: it must be what arrived. Why it could not be, if so."""
    try:
        os.fsync(out.fileno())
    except OSError as error:
        return f"{type(error).__name__}: {error.strerror or error}"
    return None


def _matches(path: Path, digest: str) -> bool:
    with open(path, "rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest() == digest
