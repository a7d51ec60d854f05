"""Request signing shared by the kiosk and the province: HMAC-SHA256 over the request.

The signed text is method, path, timestamp and the SHA-256 of the body, one per line, so a
captured request cannot be replayed to another path, altered, or replayed much later.
"""

from __future__ import annotations

import hashlib
import hmac

KIOSK_HEADER = "X-Kiosk-Id"
TIMESTAMP_HEADER = "X-Kiosk-Timestamp"
SIGNATURE_HEADER = "X-Kiosk-Signature"
MAX_SKEW_S = 300


def signature(secret: str, method: str, path: str, timestamp: int, body: bytes) -> str:
    text = f"{method.upper()}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}"
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def chunk_text(offset: int, length: int, total: int) -> bytes:
    """What an attachment chunk's signature covers in place of its body.

    The bytes themselves are checked against the content hash in the (signed) path once the
    attachment is complete; signing where they go instead lets the province verify a chunk
    before reading it, and keep the part that arrived when a connection drops mid-chunk.
    """
    return f"attachment-chunk {offset} {length} {total}".encode()


def headers(kiosk_id: str, secret: str, method: str, path: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        KIOSK_HEADER: kiosk_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, method, path, timestamp, body),
    }


def verify(secret: str, method: str, path: str, got: dict[str, str], body: bytes, now: float) -> str | None:
    """None if the signature is good; otherwise the reason: ``bad_signature`` or ``clock_skew``."""
    try:
        timestamp = int(got.get(TIMESTAMP_HEADER, ""))
    except ValueError:
        return "bad_signature"
    expected = signature(secret, method, path, timestamp, body)
    if not hmac.compare_digest(expected, got.get(SIGNATURE_HEADER, "")):
        return "bad_signature"
    if abs(now - timestamp) > MAX_SKEW_S:
        return "clock_skew"
    return None
