"""How long personal data stays, and how it goes without leaving a readable remnant.

- answers: ``answers_days`` after they arrived;
- accepted requests with their photos: ``accepted_days`` after acceptance once the answer is in,
  and ``max_days`` after they were made whatever is still awaited (the hard limit);
- set-aside requests: ``set_aside_days`` after they were set aside, with an audit line;
- a discarded request: at once.

Deleting a row is not enough: SQLite leaves deleted cells in free space and old page images in
the WAL, where the ciphertext still decrypts with the key. So connections run with
``secure_delete`` (freed content is zeroed), every purge and discard ends with a WAL checkpoint
that truncates the log, and photo files are overwritten before they are unlinked. A photo shared
by several requests (a corrected copy sent with the same photo) stays while any of them needs it.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.store import audit

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable

    from kiosk.store.database import Database

log = logging.getLogger(__name__)
DAY_S = 86_400


@dataclass(frozen=True)
class Purged:
    answers: int = 0
    accepted: int = 0
    set_aside: int = 0

    @property
    def total(self) -> int:
        return self.answers + self.accepted + self.set_aside


def forget_requests(conn: sqlite3.Connection, item_ids: Iterable[str]) -> list[Path]:
    """Delete requests, inside the caller's transaction; return the photo files no other request uses."""
    orphans: list[Path] = []
    for item_id in item_ids:
        hashes = [h for (h,) in conn.execute("SELECT hash FROM attachment_uses WHERE outbox_id = ?", (item_id,))]
        conn.execute("DELETE FROM attachment_uses WHERE outbox_id = ?", (item_id,))
        for digest in hashes:
            other = conn.execute("SELECT outbox_id FROM attachment_uses WHERE hash = ? LIMIT 1", (digest,)).fetchone()
            if other is None:
                path = conn.execute("SELECT path FROM attachments WHERE hash = ?", (digest,)).fetchone()
                conn.execute("DELETE FROM attachments WHERE hash = ?", (digest,))
                orphans += [Path(path[0])] if path else []
            else:  # the photo now belongs to the request that still needs it
                conn.execute("UPDATE attachments SET outbox_id = ? WHERE hash = ?", (other[0], digest))
        conn.execute("DELETE FROM answers WHERE outbox_id = ?", (item_id,))
        conn.execute("DELETE FROM outbox WHERE id = ?", (item_id,))
    return orphans


def shred(paths: Iterable[Path]) -> None:
    """Overwrite each file with zeros, on disk, then unlink it."""
    for path in paths:
        try:
            with open(path, "r+b") as out:
                size = out.seek(0, os.SEEK_END)
                out.seek(0)
                out.write(bytes(size))
                out.flush()
                os.fsync(out.fileno())
        except FileNotFoundError:
            continue
        except OSError as error:
            log.error("photo file not overwritten, removed only: %s", error.strerror)
        path.unlink(missing_ok=True)


def scrub(database: Database) -> bool:
    """Copy the WAL into the database and truncate it, so no old page image outlives a deletion.

    False if a reader in another process kept part of it back (the next purge finishes it)."""
    with database.lock:
        busy, _, _ = database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        log.warning("write-ahead log not truncated yet: another process was reading")
    return not busy


class Retention:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._clock = clock

    def purge(self, *, answers_days: int, accepted_days: int, set_aside_days: int, max_days: int) -> Purged:
        """Forget everything whose retention is over; see the module's rules."""
        now = self._clock()
        with self._db.transaction() as conn:
            answers = conn.execute("DELETE FROM answers WHERE received_at < ?", (now - answers_days * DAY_S,)).rowcount
            accepted = [row[0] for row in conn.execute(
                "SELECT id FROM outbox WHERE state = 'accepted'"
                " AND ((awaits_result = 0 AND updated_at < ?) OR created_at < ?)",
                (now - accepted_days * DAY_S, now - max_days * DAY_S),
            )]  # fmt: skip
            set_aside = [row[0] for row in conn.execute(
                "SELECT id FROM outbox WHERE state = 'rejected' AND updated_at < ?", (now - set_aside_days * DAY_S,)
            )]  # fmt: skip
            orphans = forget_requests(conn, accepted + set_aside)
            shred(orphans)  # inside the transaction: a request saved now with the same photo waits for this
            if answers or accepted:
                audit.append(conn, "purged", answers=answers, requests=len(accepted))
            if set_aside:
                audit.append(conn, "set_aside_purged", requests=len(set_aside), after_days=set_aside_days)
        purged = Purged(answers, len(accepted), len(set_aside))
        if purged.total:
            scrub(self._db)
        return purged
