"""The audit trail: events without personal data, each row chained to the one before by an HMAC.

The key is the kiosk's own (derived from ``kiosk.key``) and is given to each connection once, as
the SQL function ``audit_mac``, so every layer appends with it without handling the key. Without
the key nobody can delete or alter a row and rebuild the chain so that ``verify`` passes. With
the key (a stolen disk that also holds ``kiosk.key``) they can: that is why the chain's head goes
to the province with every heartbeat, and the province notices when a head it has seen changes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from kiosk.store.database import Database

GENESIS = "0" * 64
KEYED_MARK = "audit_keyed"


def _text(prev_hash: str, at: float, event: str, details: str) -> str:
    return f"{prev_hash}|{at!r}|{event}|{details}"


def bind(conn: sqlite3.Connection, key: bytes) -> None:
    """Give this connection the chain's key; a chain from before keys existed is re-chained once, if intact."""
    conn.create_function("audit_mac", 1, lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest(),
                         deterministic=True)  # fmt: skip
    if conn.execute("SELECT 1 FROM settings WHERE key = ?", (KEYED_MARK,)).fetchone():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not conn.execute("SELECT 1 FROM settings WHERE key = ?", (KEYED_MARK,)).fetchone():
            _key_old_chain(conn)
            conn.execute("INSERT INTO settings (key, value) VALUES (?, 'true')", (KEYED_MARK,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _key_old_chain(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT seq, at, event, details, prev_hash, hash FROM audit ORDER BY seq").fetchall()
    prev = GENESIS
    for _, at, event, details, stored_prev, stored in rows:
        if stored_prev != prev or hashlib.sha256(_text(prev, at, event, details).encode()).hexdigest() != stored:
            return  # already broken: leave it as it is, for verify to report
        prev = stored
    prev = GENESIS
    for seq, at, event, details, _, _ in rows:
        (digest,) = conn.execute("SELECT audit_mac(?)", (_text(prev, at, event, details),)).fetchone()
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def append(conn: sqlite3.Connection, event: str, **details: str | int | float | None) -> None:
    """Add one event; call inside the caller's transaction so the event and its change land together."""
    row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    prev_hash = row[0] if row else GENESIS
    at = time.time()
    body = json.dumps(details, sort_keys=True, ensure_ascii=False)
    conn.execute(
        "INSERT INTO audit (at, event, details, prev_hash, hash) VALUES (?, ?, ?, ?, audit_mac(?))",
        (at, event, body, prev_hash, _text(prev_hash, at, event, body)),
    )


def verify(conn: sqlite3.Connection) -> tuple[int, int | None]:
    """Return (rows checked, sequence number of the first broken row or None)."""
    prev_hash = GENESIS
    checked = 0
    rows = conn.execute("SELECT seq, at, event, details, prev_hash, hash FROM audit ORDER BY seq").fetchall()
    for seq, at, event, details, stored_prev, stored_hash in rows:
        (expected,) = conn.execute("SELECT audit_mac(?)", (_text(stored_prev, at, event, details),)).fetchone()
        if stored_prev != prev_hash or not hmac.compare_digest(expected, stored_hash):
            return checked, seq
        prev_hash = stored_hash
        checked += 1
    return checked, None


def head(conn: sqlite3.Connection) -> dict | None:
    """The latest row, as the heartbeat reports it."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return {"seq": row[0], "hash": row[1]} if row else None


def at(conn: sqlite3.Connection, seq: int) -> dict | None:
    row = conn.execute("SELECT seq, hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    return {"seq": row[0], "hash": row[1]} if row else None


class AuditTrail:
    """The chain as the relay and the technician's commands read it (each call under the database's lock)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def verify(self) -> tuple[int, int | None]:
        with self._db.lock:
            return verify(self._db.conn)

    def head(self) -> dict | None:
        with self._db.lock:
            return head(self._db.conn)

    def at(self, seq: int) -> dict | None:
        with self._db.lock:
            return at(self._db.conn, seq)
