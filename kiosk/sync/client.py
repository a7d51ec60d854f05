"""The provincial client: one ``requests`` session, signed requests, strict reading of replies.

Every reply the contract (kiosk/sync/contract.json) gives a JSON body is checked against it
(kiosk/sync/replies.py) before anything reads it; anything that does not fit, a redirect (never
followed: it would resend signed personal data elsewhere), a compressed or oversized body, is a
``ProvinceError``, and the relay keeps the items queued. TLS verification is never switched off.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests

from kiosk.sync import deadline, replies, signing
from kiosk.sync.throughput import LinkMeter

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kiosk.config import Config

MAX_REPLY_BYTES = 2 * 1024 * 1024
BATCH_PATH = "/v1/submissions/batch"
GUIDE_MANIFEST = "guide_manifest"
MEDIA_PIECE = 16 * 1024  # written to disk as it arrives: a dropped download keeps what came
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class ItemStatus(StrEnum):
    """The province's answer to one item of a batch (the contract's ItemResult status)."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # accepted before: the same receipt again
    REJECTED = "rejected"
    RETRY = "retry"


PROBE_ID = "00000000-0000-7000-8000-000000000000"


class ProvinceUnreachable(Exception):
    """No answer: network down, connection dropped, time-out."""


class ProvinceError(Exception):
    """An answer that is an error or does not fit the contract."""


class NotKept(Exception):
    """What arrived could not be written down here (a full or failing disk): neither link nor province."""


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: ItemStatus
    receipt: str | None = None
    reason: str | None = None
    message: str | None = None


def parse_batch_reply(body: bytes, sent_ids: set[str]) -> dict[str, ItemResult]:
    """The per-item results for the ids we sent, from a reply checked against the contract."""
    try:
        data = replies.check(BATCH_PATH, "POST", 200, body)
    except replies.ReplyRefused as error:
        raise ProvinceError(str(error)) from None
    return _results(data, sent_ids)


def _results(data: dict, sent_ids: set[str]) -> dict[str, ItemResult]:
    """Results for ids we did not send are ignored; one whose receipt cleans to nothing stays queued."""
    results: dict[str, ItemResult] = {}
    for entry in data["results"]:
        if entry["id"] not in sent_ids:
            continue
        status = ItemStatus(entry["status"])  # the contract has checked it is one of these
        receipt = replies.clean_receipt(entry.get("receipt", ""))
        if status in (ItemStatus.ACCEPTED, ItemStatus.DUPLICATE) and receipt is None:
            continue
        results[entry["id"]] = ItemResult(
            entry["id"],
            status,
            receipt,
            replies.clean_message(entry.get("reason"), 64),
            replies.clean_message(entry.get("message")),
        )
    return results


class ProvincialClient:
    def __init__(self, config: Config, session: requests.Session | None = None) -> None:
        self._config = config
        self._base = config.provincial_url.rstrip("/")
        self._base_path = urlsplit(self._base).path
        self._session = session or requests.Session()
        self._session.verify = True
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, deadline.DeadlineAdapter())
        self._clock_offset = 0.0
        # Sizes each request's time allowed; the relay replaces it with the estimate it keeps.
        self.link = LinkMeter()

    def close(self) -> None:
        self._session.close()

    def health(self) -> bool:
        try:
            status, _, _ = self._send("GET", "/v1/health", b"", {}, "application/json", signed=False)
        except (ProvinceUnreachable, ProvinceError):
            return False  # a captive portal's page is not the province either
        return status == 200

    def submit_batch(self, items: list[tuple[str, str, dict]]) -> dict[str, ItemResult]:
        body = json.dumps(
            {"items": [{"id": i, "service": s, "payload": p} for i, s, p in items]}, ensure_ascii=False
        ).encode()
        status, reply = self._request("POST", BATCH_PATH, body)
        if status != 200:
            raise ProvinceError(f"batch answered HTTP {status}")
        return _results(replies.load(reply), {i for i, _, _ in items})

    def attachment_progress(self, digest: str) -> int:
        """How many bytes of this attachment the province holds: where an upload resumes."""
        status, reply = self._request("GET", f"/v1/attachments/{digest}", b"")
        return self._progress(status, reply)

    def put_attachment_chunk(self, digest: str, offset: int, total: int, chunk: bytes, allowed_s: float) -> int:
        """Send ``chunk`` as the bytes from ``offset`` on; the province's acknowledged offset after it."""
        extra = {"X-Upload-Offset": str(offset), "X-Upload-Total": str(total)}
        signed_text = signing.chunk_text(offset, len(chunk), total)
        status, reply = self._request(
            "PUT", f"/v1/attachments/{digest}", chunk, extra, "application/octet-stream",
            allowed_s=allowed_s, signed_text=signed_text,
        )  # fmt: skip
        if status == 409:  # the province holds a different amount (a dropped chunk's part arrived): ask
            return self.attachment_progress(digest)
        return self._progress(status, reply)

    def heartbeat(self, report: dict) -> None:
        status, _ = self._request("POST", "/v1/heartbeat", json.dumps(report).encode())
        if status != 204:
            raise ProvinceError(f"heartbeat answered HTTP {status}")

    def signature_accepted(self) -> bool:
        """Whether the province accepts our signature: a signed read with no side effects."""
        status, _ = self._request("GET", f"/v1/results/{PROBE_ID}", b"")
        return status != 401

    def fetch_reference(self, name: str, etag: str | None) -> tuple[str | None, bytes] | None:
        """(new ETag, body), or None when the province says our copy is current."""
        extra = {"If-None-Match": etag} if etag else {}
        status, reply, reply_headers = self._request_full("GET", f"/v1/reference/{name}", b"", extra)
        if status == 304 or (status == 404 and name == GUIDE_MANIFEST):  # 404: the county has pushed no set
            return None
        if status != 200:
            raise ProvinceError(f"reference {name} answered HTTP {status}")
        return replies.clean_etag(reply_headers.get("ETag")), reply

    def fetch_media(self, digest: str, offset: int, length: int, total: int, allowed_s: float,
                    sink: Callable[[bytes], object]) -> int:  # fmt: skip
        """Bytes ``offset`` to ``offset + length`` of a guide media file (``total`` bytes long), handed to
        ``sink`` as they arrive; how many came. A dropped connection or the deadline raises
        ProvinceUnreachable after the pieces that did arrive went to ``sink``: they are where the next try resumes."""
        path = f"/v1/guide-media/{digest}"
        extra = {"Range": f"bytes={offset}-{offset + length - 1}"}
        for _ in range(2):
            headers = self._headers("GET", path, b"", extra, "application/json", signed=True, signed_text=None)
            with _reaching(allowed_s) as watch, self._session.get(
                self._base + path, headers=headers, timeout=(allowed_s, allowed_s), stream=True,
                allow_redirects=False,
            ) as reply:  # fmt: skip
                _refuse_redirect_or_encoding(reply)
                if reply.status_code == 401:
                    content = reply.raw.read(MAX_REPLY_BYTES + 1, decode_content=False)
                    replies.check(path, "GET", 401, content)
                    if self._adjust_clock(content):
                        continue
                    raise ProvinceError("the province refused the kiosk's signature")
                expected = _range_length(reply, offset, length, total)
                arrived = 0
                while arrived < expected:
                    piece = reply.raw.read(min(MEDIA_PIECE, expected - arrived), decode_content=False)
                    if not piece:
                        break
                    try:
                        sink(piece)
                    except OSError as error:
                        raise NotKept(f"{type(error).__name__}: {error.strerror or error}") from None
                    arrived += len(piece)
                if arrived < expected:
                    reason = f"no whole reply within {allowed_s:.0f} s" if watch.expired else "connection dropped"
                    raise ProvinceUnreachable(f"{reason} after {arrived} of {expected} bytes")
                return arrived
        raise ProvinceError("the province refused the kiosk's signature")

    def fetch_result(self, item_id: str) -> dict | None:
        status, reply = self._request("GET", f"/v1/results/{item_id}", b"")
        if status != 200:
            raise ProvinceError(f"result answered HTTP {status}")
        data = replies.load(reply)
        return data["result"] if data["status"] == "ready" else None

    def _progress(self, status: int, reply: bytes) -> int:
        if status == 422:
            raise ProvinceError("attachment did not match its hash at the province")
        if status != 200:
            raise ProvinceError(f"attachment progress answered HTTP {status}")
        return replies.load(reply)["received"]

    def _request(self, method, path, body, extra=None, content_type="application/json", **limits) -> tuple[int, bytes]:
        status, reply, _ = self._request_full(method, path, body, extra, content_type, **limits)
        return status, reply

    def _request_full(self, method, path, body, extra=None, content_type="application/json", **limits):
        for _ in range(2):
            status, reply, reply_headers = self._send(method, path, body, extra or {}, content_type, **limits)
            if status == 401 and self._adjust_clock(reply):
                continue
            return status, reply, reply_headers
        return status, reply, reply_headers

    def _headers(self, method, path, body, extra, content_type, signed, signed_text) -> dict:
        headers = {"Content-Type": content_type, "Accept-Encoding": "identity"}
        if signed:
            timestamp = int(time.time() + self._clock_offset)
            covered = body if signed_text is None else signed_text
            config = self._config
            full_path = self._base_path + path
            headers |= signing.headers(config.kiosk_id, config.secret, method, full_path, timestamp, covered)
        return headers | extra

    def _send(self, method, path, body, extra, content_type, signed=True, allowed_s=None, signed_text=None):
        """One request, over within ``allowed_s`` seconds (sized from the body and the link by default).

        ``signed_text``: what the signature covers instead of the body (an attachment chunk's place).
        """
        headers = self._headers(method, path, body, extra, content_type, signed, signed_text)
        allowed = allowed_s or self.link.time_allowed(len(body), self._config.sync.timeout_s)
        # The connect time-out also bounds sending the body: allow it the whole time, the deadline rules.
        with _reaching(allowed) as watch, self._session.request(
            method, self._base + path, data=body, headers=headers, timeout=(allowed, allowed), stream=True,
            allow_redirects=False,
        ) as reply:  # fmt: skip
            _refuse_redirect_or_encoding(reply)
            content = reply.raw.read(MAX_REPLY_BYTES + 1, decode_content=False)
            if watch.expired:
                raise ProvinceUnreachable(f"no whole reply within {allowed:.0f} s")
            if len(content) > MAX_REPLY_BYTES:
                raise ProvinceError("reply larger than the contract allows")
            replies.check(path, method, reply.status_code, content)
            return reply.status_code, content, reply.headers

    def _adjust_clock(self, reply: bytes) -> bool:
        """Follow the province's clock once if it says ours is off (a kiosk without NTP)."""
        data = replies.load(reply)  # a 401 has been checked against the contract's Error already
        server_time = data.get("server_time")
        if data["error"] != "clock_skew" or server_time is None:
            return False
        offset = server_time - time.time()
        if abs(offset - self._clock_offset) < 1:
            return False
        self._clock_offset = offset
        return True


def _unreachable(watch: deadline.Watch, allowed: float, reason: str) -> ProvinceUnreachable:
    return ProvinceUnreachable(f"no whole reply within {allowed:.0f} s" if watch.expired else reason)


@contextmanager
def _reaching(allowed: float) -> Iterator[deadline.Watch]:
    """A request within ``allowed`` seconds, whatever fails in it said as ProvinceUnreachable or ProvinceError."""
    with deadline.within(allowed) as watch:
        try:
            yield watch
        except replies.ReplyRefused as error:
            raise ProvinceError(str(error)) from None
        except (ProvinceError, ProvinceUnreachable, NotKept):
            raise
        except (requests.RequestException, OSError) as error:
            raise _unreachable(watch, allowed, type(error).__name__) from None
        except Exception as error:  # urllib3 raises its own types for garbled HTTP
            raise _unreachable(watch, allowed, f"garbled reply: {type(error).__name__}") from None


def _refuse_redirect_or_encoding(reply: requests.Response) -> None:
    status = reply.status_code
    if 300 <= status < 400 and status != 304:
        raise ProvinceError(f"answered HTTP {status}, a redirect (never followed)")
    if reply.headers.get("Content-Encoding", "identity").lower() != "identity":
        raise ProvinceError("reply is compressed, which the contract does not allow")


def _range_length(reply: requests.Response, offset: int, length: int, total: int) -> int:
    """How many bytes this 206 carries, if it is the range asked for (or its start) of a file of ``total`` bytes."""
    if reply.status_code == 404:
        raise ProvinceError("the province does not have this guide file")
    if reply.status_code != 206:
        raise ProvinceError(f"guide file answered HTTP {reply.status_code}, not the range asked for")
    found = CONTENT_RANGE.match(reply.headers.get("Content-Range", ""))
    if found is None:
        raise ProvinceError("guide file range reply without a readable Content-Range")
    first, last, size = (int(part) for part in found.groups())
    if size != total:
        raise ProvinceError(f"the province's file is {size} bytes, the manifest says {total}")
    if first != offset or not first <= last < min(offset + length, total):
        raise ProvinceError(f"the province sent bytes {first}-{last}, not from {offset}")
    return last - first + 1
