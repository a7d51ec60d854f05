"""What the province answered: query results, certification outcomes, listing status, kept encrypted.

An answer that arrives while the villager is still at the kiosk is shown at once; one that
arrives later waits, encrypted, for the person's next check-in, and is purged after the
retention period either way. Accepted requests lose their personal data on the same schedule.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.store import audit

if TYPE_CHECKING:  # the UI imports Answer before its first paint: nothing heavy here
    from kiosk.store.crypto import Vault
    from kiosk.store.database import Database

DAY_S = 86_400


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

    def awaited(self, limit: int) -> list[str]:
        """Accepted requests whose answer has not come back yet."""
        rows = self._db.query(
            "SELECT id FROM outbox WHERE state = 'accepted' AND awaits_result = 1 ORDER BY updated_at LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]

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

    def purge(self, answers_days: int, accepted_days: int) -> int:
        """Forget answers, and accepted requests with their photos, once their retention is over."""
        now = self._clock()
        with self._db.transaction() as conn:
            gone = conn.execute("DELETE FROM answers WHERE received_at < ?", (now - answers_days * DAY_S,)).rowcount
            old = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM outbox WHERE state = 'accepted' AND awaits_result = 0 AND updated_at < ?",
                    (now - accepted_days * DAY_S,),
                )
            ]
            paths = []
            for item_id in old:
                paths += [
                    Path(p) for (p,) in conn.execute("SELECT path FROM attachments WHERE outbox_id = ?", (item_id,))
                ]
                conn.execute("DELETE FROM attachments WHERE outbox_id = ?", (item_id,))
                conn.execute("DELETE FROM outbox WHERE state = 'accepted' AND id = ?", (item_id,))
            if gone or old:
                audit.append(conn, "purged", answers=gone, requests=len(old))
        for path in paths:
            path.unlink(missing_ok=True)
        return gone + len(old)

    def _answer(self, row: tuple) -> Answer:
        outbox_id, service, sealed, received_at = row
        data = json.loads(self._vault.decrypt(sealed, outbox_id.encode()))
        return Answer(outbox_id, service, data["title"], tuple(data["lines"]), received_at)
