"""The audit trail: events without personal data, each row chained to the one before by hash."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time

GENESIS = "0" * 64


def _digest(prev_hash: str, at: float, event: str, details: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{at!r}|{event}|{details}".encode()).hexdigest()


def append(conn: sqlite3.Connection, event: str, **details: str | int | float | None) -> None:
    """Add one event; call inside the caller's transaction so the event and its change land together."""
    row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    prev_hash = row[0] if row else GENESIS
    at = time.time()
    body = json.dumps(details, sort_keys=True, ensure_ascii=False)
    conn.execute(
        "INSERT INTO audit (at, event, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
        (at, event, body, prev_hash, _digest(prev_hash, at, event, body)),
    )


def verify(conn: sqlite3.Connection) -> tuple[int, int | None]:
    """Return (rows checked, sequence number of the first broken row or None)."""
    prev_hash = GENESIS
    checked = 0
    for seq, at, event, details, stored_prev, stored_hash in conn.execute(
        "SELECT seq, at, event, details, prev_hash, hash FROM audit ORDER BY seq"
    ):
        if stored_prev != prev_hash or _digest(stored_prev, at, event, details) != stored_hash:
            return checked, seq
        prev_hash = stored_hash
        checked += 1
    return checked, None
