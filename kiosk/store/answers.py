"""What the province answered: query results, certification outcomes, listing status, kept encrypted.

An answer that arrives while the villager is still at the kiosk is shown at once; one that
arrives later waits, encrypted, for the person's next check-in, and is purged after the
retention period either way (kiosk/store/retention.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the UI imports Answer before its first paint: nothing heavy here
    from collections.abc import Callable

    from kiosk.store.crypto import Vault
    from kiosk.store.database import Database


@dataclass(frozen=True)
class Answer:
    outbox_id: str
    service: str
    title: str
    lines: tuple[str, ...]
    received_at: float


class Answers:
    def __init__(self, database: Database, vault: Vault, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._vault = vault
        self._clock = clock

    def awaited(self, limit: int) -> list[tuple[str, int]]:
        """(id, failed fetches so far) of accepted requests whose answer is due to be asked for again.

        Each has its own backoff, so one the province keeps failing never blocks the others; it ages
        out with the hard retention limit (kiosk/store/retention.py)."""
        return self._db.query(
            "SELECT id, result_attempts FROM outbox WHERE state = 'accepted' AND awaits_result = 1"
            " AND result_next_at <= ? ORDER BY result_next_at, updated_at LIMIT ?",
            (self._clock(), limit),
        )

    def not_ready(self, outbox_id: str, delay: float, failed: bool) -> None:
        """Ask again after ``delay`` s; ``failed``: the province errored (the backoff grows), not just pending."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET result_next_at = ?, result_attempts = result_attempts + ?"
                " WHERE state = 'accepted' AND id = ?",
                (self._clock() + delay, int(failed), outbox_id),
            )

    def keep(self, outbox_id: str, result: dict) -> None:
        lines = result.get("lines") if isinstance(result.get("lines"), list) else []
        clean = {"title": str(result.get("title", "办理结果"))[:40], "lines": [str(line)[:200] for line in lines[:10]]}
        sealed = self._vault.encrypt(json.dumps(clean, ensure_ascii=False).encode(), outbox_id.encode())
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT service, subject_hash FROM outbox WHERE state = 'accepted' AND id = ?", (outbox_id,)
            ).fetchone()
            if row is None:
                return
            conn.execute(
                "INSERT OR REPLACE INTO answers (outbox_id, service, subject_hash, sealed, received_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (outbox_id, row[0], row[1], sealed, self._clock()),
            )
            conn.execute("UPDATE outbox SET awaits_result = 0 WHERE state = 'accepted' AND id = ?", (outbox_id,))

    def get(self, outbox_id: str) -> Answer | None:
        rows = self._db.query(
            "SELECT outbox_id, service, sealed, received_at FROM answers WHERE outbox_id = ?", (outbox_id,)
        )
        return self._answer(rows[0]) if rows else None

    def unseen_for(self, id_number: str) -> list[Answer]:
        """Answers waiting for this person since an earlier visit, oldest first."""
        rows = self._db.query(
            "SELECT outbox_id, service, sealed, received_at FROM answers"
            " WHERE subject_hash = ? AND shown_at IS NULL ORDER BY received_at",
            (self._vault.lookup_hash(id_number),),
        )
        return [self._answer(row) for row in rows]

    def count(self, service: str) -> int:
        """Answers kept for one service: for listings, how many the province has published."""
        return self._db.query("SELECT COUNT(*) FROM answers WHERE service = ?", (service,))[0][0]

    def mark_shown(self, outbox_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("UPDATE answers SET shown_at = ? WHERE outbox_id = ?", (self._clock(), outbox_id))

    def _answer(self, row: tuple) -> Answer:
        outbox_id, service, sealed, received_at = row
        data = json.loads(self._vault.decrypt(sealed, outbox_id.encode()))
        return Answer(outbox_id, service, data["title"], tuple(data["lines"]), received_at)
