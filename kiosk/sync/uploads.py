"""One attempt at uploading a photo over a slow, dropping link: resume, adapt, never loop.

An attempt starts from the province's acknowledged offset, asking for it unless the kiosk knows
it (nothing offered beyond the last acknowledgement), and sends chunks from there, each sized and
timed by the ``LinkMeter``. A dropped connection is not the end: the province keeps what arrived, so
the attempt asks again and carries on, as long as the acknowledged offset keeps moving. An
attempt whose offset does not advance ends, and the relay backs off: a province that answers
``{"received": 0}`` forever gets one chunk per attempt, not thousands a second.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.sync.client import ProvinceError, ProvinceUnreachable, ProvincialClient

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.sync.throughput import LinkMeter


class Ending(enum.Enum):
    DONE = "done"  # the province holds the whole attachment, hash checked
    PAUSED = "paused"  # text is waiting: it goes first; the upload resumes from here later
    LINK_FAILED = "link_failed"  # no answer, and nothing more acknowledged: back off a little
    STALLED = "stalled"  # the province answered, but its offset did not move: a province error
    REFUSED = "refused"  # the province answered something the contract does not allow
    CORRUPT = "corrupt"  # a download came whole but not as its hash says: deleted, fetched again later
    NOT_KEPT = "not_kept"  # a download's bytes could not be written here (the disk is full or failing)


@dataclass
class Attempt:
    ending: Ending
    received: int
    acknowledged: int = 0  # bytes this attempt moved the province's offset by
    seconds: float = 0.0  # spent in chunk requests
    reason: str = ""


def upload(
    client: ProvincialClient,
    meter: LinkMeter,
    floor_s: float,
    digest: str,
    data: bytes,
    known: int | None,
    pause: Callable[[], bool],
    offered: Callable[[int], None],
    progressed: Callable[[int], None],
) -> Attempt:
    """Upload ``data`` from where the province left off (``known``, or ask when None).

    ``offered(end)`` before a chunk up to ``end`` goes out, ``progressed(offset)`` after each advance.
    """
    total = len(data)
    if known is None:
        try:
            known = _checked(client.attachment_progress(digest), total)
        except ProvinceUnreachable as error:
            return Attempt(Ending.LINK_FAILED, 0, reason=str(error))
        except ProvinceError as error:
            return Attempt(Ending.REFUSED, 0, reason=str(error))
        progressed(known)
    attempt = Attempt(Ending.DONE, known)
    while attempt.received < total:
        if pause():
            attempt.ending = Ending.PAUSED
            return attempt
        before = attempt.received
        size = meter.next_piece(before, total)
        chunk = data[before : before + size]
        offered(before + len(chunk))
        started = time.monotonic()
        try:
            after = client.put_attachment_chunk(digest, before, total, chunk, meter.time_allowed(len(chunk), floor_s))
            after = _checked(after, total)
        except ProvinceUnreachable as error:
            attempt.seconds += time.monotonic() - started
            meter.failed(len(chunk))
            after = _after_drop(client, digest, total, attempt, str(error))
            if after is None:
                return attempt
        except ProvinceError as error:
            attempt.ending, attempt.reason = Ending.REFUSED, str(error)
            return attempt
        else:
            attempt.seconds += time.monotonic() - started
            if after > before:
                meter.succeeded(after - before, time.monotonic() - started)
        if after <= before:
            attempt.ending, attempt.reason = Ending.STALLED, f"the province stayed at byte {before} of {total}"
            return attempt
        attempt.acknowledged += after - before
        attempt.received = after
        progressed(after)
    return attempt


def _after_drop(client: ProvincialClient, digest: str, total: int, attempt: Attempt, reason: str) -> int | None:
    """Where the province stands after a dropped chunk; None (and the attempt's ending) if that is unknown."""
    try:
        after = _checked(client.attachment_progress(digest), total)
    except ProvinceUnreachable:
        attempt.ending, attempt.reason = Ending.LINK_FAILED, reason
        return None
    except ProvinceError as error:
        attempt.ending, attempt.reason = Ending.REFUSED, str(error)
        return None
    if after <= attempt.received:  # the drop lost the whole chunk: that is the link, not the province
        attempt.ending, attempt.reason = Ending.LINK_FAILED, reason
        return None
    return after


def _checked(received: int, total: int) -> int:
    if received > total:
        raise ProvinceError(f"province claims {received} bytes of {total}")
    return received
