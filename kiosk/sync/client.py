"""The provincial client: one ``requests`` session, signed requests, strict reading of replies.

Anything the province says that does not fit the contract (kiosk/sync/contract.json) is a
``ProvinceError``; the relay then keeps the items queued. TLS verification is never switched off.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from kiosk.config import Config
from kiosk.sync import signing

MAX_REPLY_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 256 * 1024
RESULT_STATUSES = {"accepted", "duplicate", "rejected", "retry"}


PROBE_ID = "00000000-0000-7000-8000-000000000000"


class ProvinceUnreachable(Exception):
    """No answer: network down, connection dropped, time-out."""


class ProvinceError(Exception):
    """An answer that is an error or does not fit the contract."""


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str
    receipt: str | None = None
    reason: str | None = None
    message: str | None = None


def parse_batch_reply(body: bytes, sent_ids: set[str]) -> dict[str, ItemResult]:
    """The per-item results for the ids we sent; malformed entries are left out (they stay queued)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProvinceError("reply is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ProvinceError("reply has no results list")
    results: dict[str, ItemResult] = {}
    for entry in data["results"]:
        result = _item_result(entry, sent_ids)
        if result is not None:
            results[result.id] = result
    return results


def _short_text(value: object, limit: int) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def _item_result(entry: object, sent_ids: set[str]) -> ItemResult | None:
    if not isinstance(entry, dict):
        return None
    item_id, status = entry.get("id"), entry.get("status")
    if not isinstance(item_id, str) or item_id not in sent_ids or status not in RESULT_STATUSES:
        return None
    receipt = _short_text(entry.get("receipt"), 64)
    if status in ("accepted", "duplicate") and receipt is None:
        return None
    reason = _short_text(entry.get("reason"), 64)
    if status == "rejected" and reason is None:
        return None
    return ItemResult(item_id, status, receipt, reason, _short_text(entry.get("message"), 200))


class ProvincialClient:
    def __init__(self, config: Config, session: requests.Session | None = None) -> None:
        self._config = config
        self._base = config.provincial_url.rstrip("/")
        self._base_path = urlsplit(self._base).path
        self._session = session or requests.Session()
        self._session.verify = True
        self._clock_offset = 0.0

    def close(self) -> None:
        self._session.close()

    def health(self) -> bool:
        try:
            reply = self._session.get(f"{self._base}/v1/health", timeout=(2, 3))
        except requests.RequestException:
            return False
        return reply.status_code == 200

    def submit_batch(self, items: list[tuple[str, str, dict]]) -> dict[str, ItemResult]:
        body = json.dumps(
            {"items": [{"id": i, "service": s, "payload": p} for i, s, p in items]}, ensure_ascii=False
        ).encode()
        status, reply = self._request("POST", "/v1/submissions/batch", body)
        if status != 200:
            raise ProvinceError(f"batch answered HTTP {status}")
        return parse_batch_reply(reply, {i for i, _, _ in items})

    def upload_attachment(self, digest: str, data: bytes) -> None:
        """Send what the province does not hold yet, from where it left off."""
        path = f"/v1/attachments/{digest}"
        status, reply = self._request("GET", path, b"")
        received = self._progress(status, reply)
        while received < len(data):
            chunk = data[received : received + CHUNK_BYTES]
            extra = {"X-Upload-Offset": str(received), "X-Upload-Total": str(len(data))}
            status, reply = self._request("PUT", path, chunk, extra, content_type="application/octet-stream")
            if status == 409:
                status, reply = self._request("GET", path, b"")
            received = self._progress(status, reply)

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
        if status == 304:
            return None
        if status != 200:
            raise ProvinceError(f"reference {name} answered HTTP {status}")
        return reply_headers.get("ETag"), reply

    def fetch_result(self, item_id: str) -> dict | None:
        status, reply = self._request("GET", f"/v1/results/{item_id}", b"")
        if status != 200:
            raise ProvinceError(f"result answered HTTP {status}")
        data = _json_object(reply)
        if data.get("status") == "ready" and isinstance(data.get("result"), dict):
            return data["result"]
        return None

    def _progress(self, status: int, reply: bytes) -> int:
        if status == 422:
            raise ProvinceError("attachment did not match its hash at the province")
        received = _json_object(reply).get("received") if status == 200 else None
        if not isinstance(received, int) or received < 0:
            raise ProvinceError(f"attachment progress answered HTTP {status}")
        return received

    def _request(self, method, path, body, extra=None, content_type="application/json") -> tuple[int, bytes]:
        status, reply, _ = self._request_full(method, path, body, extra, content_type)
        return status, reply

    def _request_full(self, method, path, body, extra=None, content_type="application/json"):
        for _ in range(2):
            status, reply, reply_headers = self._send(method, path, body, extra or {}, content_type)
            if status == 401 and self._adjust_clock(reply):
                continue
            return status, reply, reply_headers
        return status, reply, reply_headers

    def _send(self, method, path, body, extra, content_type):
        full_path = self._base_path + path
        timestamp = int(time.time() + self._clock_offset)
        headers = signing.headers(self._config.kiosk_id, self._config.secret, method, full_path, timestamp, body)
        headers.update(extra)
        headers["Content-Type"] = content_type
        timeout = self._config.sync.timeout_s
        try:
            with self._session.request(
                method, self._base + path, data=body, headers=headers, timeout=(min(timeout, 5), timeout), stream=True
            ) as reply:
                content = reply.raw.read(MAX_REPLY_BYTES + 1, decode_content=True)
                if len(content) > MAX_REPLY_BYTES:
                    raise ProvinceError("reply larger than the contract allows")
                return reply.status_code, content, reply.headers
        except ProvinceError:
            raise
        except (requests.RequestException, OSError) as error:
            raise ProvinceUnreachable(type(error).__name__) from None
        except Exception as error:  # urllib3 raises its own types for garbled HTTP
            raise ProvinceUnreachable(f"garbled reply: {type(error).__name__}") from None

    def _adjust_clock(self, reply: bytes) -> bool:
        """Follow the province's clock once if it says ours is off (a kiosk without NTP)."""
        try:
            data = json.loads(reply)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return False
        server_time = data.get("server_time") if isinstance(data, dict) else None
        if data.get("error") != "clock_skew" or not isinstance(server_time, (int, float)):
            return False
        offset = server_time - time.time()
        if abs(offset - self._clock_offset) < 1:
            return False
        self._clock_offset = offset
        return True


def _json_object(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProvinceError("reply is not JSON") from None
    if not isinstance(data, dict):
        raise ProvinceError("reply is not a JSON object")
    return data
