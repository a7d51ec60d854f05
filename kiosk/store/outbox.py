"""The outbox: every villager request, kept safely until the province has accepted it.

Rows move queued → sending → accepted | rejected; a failed attempt goes back to queued with a
later next-attempt time. The table is keyed by (state, next-attempt time, id), so the relay's
"what is due" is a range of the one B-tree an enqueue writes to: one page per durable enqueue,
not two. Look-ups by id alone are the volunteer's and scan. The row id is a UUID that doubles
as the idempotency key at the province, so resending after a crash is always safe. Payloads
are encrypted at rest.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError
from kiosk.files import write_whole
from kiosk.store import audit, retention
from kiosk.store.database import FULL_MESSAGE, Database, StorageFull
from kiosk.store.states import Settled, State

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kiosk.store.crypto import Vault

EVIDENCE_SERVICES = frozenset({"pension_cert"})  # their photos are a certification's evidence: they go first
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): a long queue stays in order on disk, so its pages stay warm."""
    millis = time.time_ns() // 1_000_000 & (2**48 - 1)
    rand = os.urandom(10).hex()
    variant = "89ab"[int(rand[3], 16) & 3]  # RFC 4122 variant: the top bits of this digit are 10
    digits = f"{millis:012x}7{rand[:3]}{variant}{rand[4:19]}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def receipt_number(item_id: str) -> str:
    """Eight unambiguous characters from the id's last 40 (random) bits, e.g. ``K7QM-3XD9``."""
    bits = int(item_id[-10:], 16)
    chars = "".join(RECEIPT_ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


@dataclass(frozen=True)
class Queued:
    id: str

    @property
    def receipt(self) -> str:
        return receipt_number(self.id)


@dataclass(frozen=True)
class Item:
    id: str
    service: str
    state: State
    attempts: int
    next_attempt_at: float
    last_error: str | None
    provincial_receipt: str | None
    created_at: float
    payload: dict | None = None

    @property
    def receipt(self) -> str:
        return receipt_number(self.id)


@dataclass(frozen=True)
class Outcome:
    """What became of one sent item: accepted, rejected (set aside) or retry (after ``delay`` s)."""

    id: str
    status: Settled
    receipt: str | None = None
    reason: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Attachment:
    hash: str
    outbox_id: str
    path: Path
    size: int
    attempts: int
    received: int = 0  # what the province acknowledged
    sent: int = 0  # how far chunks were offered: past ``received``, the province may hold more than we know


INSERT_ITEM = (
    "INSERT INTO outbox (id, service, payload, subject_hash, state, next_attempt_at, created_at, updated_at,"
    " awaits_result) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)"
)
INSERT_ATTACHMENT = (
    "INSERT INTO attachments (hash, outbox_id, path, size, state, evidence, created_at)"
    " VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (hash) DO UPDATE SET evidence = MAX(evidence, excluded.evidence)"
)
INSERT_USE = "INSERT OR IGNORE INTO attachment_uses (hash, outbox_id) VALUES (?, ?)"
UPLOAD_ORDER = "ORDER BY evidence DESC, created_at, hash"
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps would build one per call
_COLUMNS = "id, service, state, attempts, next_attempt_at, last_error, provincial_receipt, created_at"


class Outbox:
    def __init__(self, database: Database, vault: Vault, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._conn = database.conn
        self._vault = vault
        self._clock = clock
        self._attachment_dir = database.path.parent / "attachments"

    # -- queuing ---------------------------------------------------------------------------

    def enqueue(
        self,
        service: str,
        payload: Mapping,
        subject: str | None = None,
        attachments: Mapping[str, bytes] | None = None,
        awaits_result: bool = False,
        replaces: str | None = None,
    ) -> Queued:
        """Keep a request on disk (fsynced) and return its receipt; raise StorageFull if it cannot be.

        ``replaces``: a set-aside request this one is the corrected copy of; it goes in the same
        transaction, so a crash leaves either the old request or the new one, never both or neither."""
        item_id = new_id()
        body = dict(payload) if attachments else payload
        written: list[Path] = []
        unused: list[Path] = []  # the replaced request's photos that no request uses any more
        now = self._clock()
        subject_hash = subject and self._vault.lookup_hash(subject)
        try:
            if not attachments and not replaces:
                sealed = self._vault.encrypt(_JSON.encode(body).encode(), item_id.encode())
                row = (item_id, service, sealed, subject_hash, now, now, now, int(awaits_result))
                # One statement is its own transaction: atomic and, with synchronous=FULL, on disk when it returns.
                self._db.execute_alone(INSERT_ITEM, row)
                return Queued(item_id)
            # The files are written under the write lock: a purge of another request with the same photo
            # cannot remove it between our look and our row.
            with self._db.transaction() as conn:
                if attachments:
                    body["attachments"] = {
                        name: self._store_attachment(data, written) for name, data in attachments.items()
                    }
                sealed = self._vault.encrypt(_JSON.encode(body).encode(), item_id.encode())
                conn.execute(INSERT_ITEM, (item_id, service, sealed, subject_hash, now, now, now, int(awaits_result)))
                evidence = int(service in EVIDENCE_SERVICES)
                for name, digest in (body.get("attachments") or {}).items():
                    path = str(self._attachment_dir / f"{digest}.bin")
                    conn.execute(INSERT_ATTACHMENT, (digest, item_id, path, len(attachments[name]), evidence, now))
                    conn.execute(INSERT_USE, (digest, item_id))
                if replaces:
                    unused = self._replace(conn, replaces, item_id)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        if unused:  # only once the swap is on disk: a failed one leaves the set-aside request whole
            retention.shred(unused)
            retention.scrub(self._db)
        return Queued(item_id)

    def _replace(self, conn, old_id: str, by: str) -> list[Path]:
        """In the corrected copy's transaction: the set-aside request goes (its photos stay if the copy uses them)."""
        row = conn.execute("SELECT state FROM outbox WHERE id = ?", (old_id,)).fetchone()
        if row is None or row[0] != State.REJECTED:
            raise KioskError("这一件已经不在被退回的队列里了，改好的没有保存，请回到「排队情况」看看。")
        unused = retention.forget_requests(conn, [old_id])
        audit.append(conn, "fixed", id=old_id, by=by)
        return unused

    def _store_attachment(self, data: bytes, written: list[Path]) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self._attachment_dir / f"{digest}.bin"
        if target.exists():
            return digest
        try:
            write_whole(target, self._vault.encrypt(data, digest.encode()))
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull(FULL_MESSAGE) from None
            raise
        written.append(target)
        return digest

    # -- the relay's side --------------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Put back anything a crash left in ``sending``: the province deduplicates on the id."""
        with self._db.transaction() as conn:
            count = conn.execute("UPDATE outbox SET state = 'queued' WHERE state = 'sending'").rowcount
            if count:
                audit.append(conn, "recovered", count=count)
        return count

    def claim_due(self, limit: int) -> list[Item]:
        """Mark up to ``limit`` due items as sending, oldest due first."""
        now = self._clock()
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, payload FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?"
                " ORDER BY next_attempt_at, id LIMIT ?",
                (now, limit),
            ).fetchall()
            conn.executemany(
                "UPDATE outbox SET state = 'sending', updated_at = ?"
                " WHERE state = 'queued' AND next_attempt_at = ? AND id = ?",
                [(now, row[4], row[0]) for row in rows],
            )
        return [self._item((item_id, service, "sending", *rest)) for item_id, service, _, *rest in rows]

    def settle(self, outcomes: list[Outcome]) -> None:
        now = self._clock()
        with self._db.transaction() as conn:
            for outcome in outcomes:
                if outcome.status == Settled.ACCEPTED:
                    conn.execute(
                        "UPDATE outbox SET state = 'accepted', provincial_receipt = ?, attempts = attempts + 1,"
                        " last_error = NULL, updated_at = ? WHERE id = ? AND state = 'sending'",
                        (outcome.receipt, now, outcome.id),
                    )
                elif outcome.status == Settled.REJECTED:
                    conn.execute(
                        "UPDATE outbox SET state = 'rejected', last_error = ?, attempts = attempts + 1,"
                        " updated_at = ? WHERE id = ? AND state = 'sending'",
                        (outcome.reason, now, outcome.id),
                    )
                    audit.append(conn, "set_aside", id=outcome.id)
                else:
                    conn.execute(
                        "UPDATE outbox SET state = 'queued', last_error = ?, attempts = attempts + 1,"
                        " next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
                        (outcome.reason, now + outcome.delay, now, outcome.id),
                    )

    def make_all_due(self) -> None:
        """Connectivity is back: nothing waiting should sit out its backoff any longer."""
        now = self._clock()
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at > ?", (now, now)
            )
            conn.execute("UPDATE attachments SET next_attempt_at = ? WHERE state = 'pending'", (now,))

    def data_version(self) -> int:
        return self._db.data_version()

    def next_due_at(self) -> float | None:
        """When the next request or photo is due (photos back off briefly after a dropped link)."""
        text = self._db.query("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'")[0][0]
        photo = self._db.query("SELECT MIN(next_attempt_at) FROM attachments WHERE state = 'pending'")[0][0]
        return min((due for due in (text, photo) if due is not None), default=None)

    def text_due(self) -> bool:
        """Whether a request is waiting to be sent now: a photo upload makes way for it."""
        query = "SELECT 1 FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? LIMIT 1"
        return bool(self._db.query(query, (self._clock(),)))

    def pending_attachments(self, limit: int) -> list[Attachment]:
        """Photos due for upload, in their order: certification evidence first, then the oldest."""
        rows = self._db.query(
            "SELECT hash, outbox_id, path, size, attempts, received, sent FROM attachments"
            f" WHERE state = 'pending' AND next_attempt_at <= ? {UPLOAD_ORDER} LIMIT ?",
            (self._clock(), limit),
        )
        return [Attachment(h, o, Path(p), *rest) for h, o, p, *rest in rows]

    def photos_of(self, item: Item) -> dict[str, bytes]:
        """The photos a request carries, by field (decrypted), for a volunteer fixing it."""
        digests = (item.payload or {}).get("attachments", {})
        return {name: self._read_attachment(self._attachment_dir / f"{digest}.bin", digest)
                for name, digest in digests.items()}  # fmt: skip

    def attachment_bytes(self, attachment: Attachment) -> bytes:
        return self._read_attachment(attachment.path, attachment.hash)

    def _read_attachment(self, path: Path, digest: str) -> bytes:
        return self._vault.decrypt(path.read_bytes(), digest.encode())

    def attachment_uploaded(self, digest: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE attachments SET state = 'uploaded', received = size, uploaded_at = ? WHERE hash = ?",
                (self._clock(), digest),
            )

    def attachment_progress(self, digest: str, received: int) -> None:
        """The province acknowledged ``received`` bytes; progress also resets the failure count."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE attachments SET received = ?, sent = MAX(sent, ?),"
                " attempts = CASE WHEN ? > received THEN 0 ELSE attempts END WHERE hash = ?",
                (received, received, received, digest),
            )

    def attachment_offered(self, digest: str, up_to: int) -> None:
        """A chunk up to byte ``up_to`` is going out: until it is acknowledged, ask the province where it stands."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE attachments SET sent = MAX(sent, ?) WHERE hash = ?", (up_to, digest))

    def attachment_failed(self, digest: str, delay: float) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE attachments SET attempts = attempts + 1, next_attempt_at = ? WHERE hash = ?",
                (self._clock() + delay, digest),
            )

    # -- what volunteers and technicians see -------------------------------------------------

    def stats(self) -> dict[str, int | float | None]:
        counts = dict.fromkeys(State, 0)
        counts.update(self._db.query("SELECT state, COUNT(*) FROM outbox GROUP BY state"))
        oldest = self._db.query("SELECT MIN(created_at) FROM outbox WHERE state IN ('queued', 'sending')")[0][0]
        counts["attachments_pending"] = self._db.query("SELECT COUNT(*) FROM attachments WHERE state = 'pending'")[0][0]
        counts["oldest_waiting_s"] = None if oldest is None else round(self._clock() - oldest, 1)
        counts.update(self._photo_progress())
        return counts

    def progress_since(self, since: float) -> tuple[int, int, int]:
        """(accepted since ``since``, still waiting, waiting that were tried since and put back for later)."""
        sent, waiting, put_back = self._db.query(
            "SELECT COALESCE(SUM(state = 'accepted' AND updated_at >= ?), 0),"
            " COALESCE(SUM(state IN ('queued', 'sending')), 0),"
            " COALESCE(SUM(state = 'queued' AND attempts > 0 AND updated_at >= ? AND next_attempt_at > ?), 0)"
            " FROM outbox",
            (since, since, since),
        )[0]
        return sent, waiting, put_back

    def _photo_progress(self) -> dict[str, int | None]:
        """How far the photos have got: the current one is ``photo_current`` of ``photo_total``.

        The photos counted are those waiting and those uploaded since the oldest waiting one was taken;
        the current photo is the first in upload order that the province holds part of (else the first).
        """
        pending = self._db.query(
            f"SELECT size, received, created_at FROM attachments WHERE state = 'pending' {UPLOAD_ORDER}"
        )
        if not pending:
            return {"photo_current": None, "photo_total": None, "photo_percent": None}
        since = min(created for _, _, created in pending)
        done = self._db.query(
            "SELECT COUNT(*) FROM attachments WHERE state = 'uploaded' AND uploaded_at >= ?", (since,)
        )[0][0]
        size, received, _ = next((row for row in pending if row[1] > 0), pending[0])
        return {
            "photo_current": done + 1,
            "photo_total": done + len(pending),
            "photo_percent": min(99, received * 100 // size) if size else 0,
        }

    def items(self, state: str | None = None, limit: int = 100) -> list[Item]:
        where, args = ("WHERE state = ?", (state,)) if state else ("", ())
        rows = self._db.query(f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY created_at LIMIT ?", (*args, limit))
        return [self._item(row) for row in rows]

    def get(self, item_id: str, with_payload: bool = False) -> Item:
        rows = self._db.query(f"SELECT {_COLUMNS}, payload FROM outbox WHERE id = ?", (item_id,))
        if not rows:
            raise InvalidInput(f"队列里没有这一件：{item_id}")
        return self._item(rows[0] if with_payload else rows[0][:-1])

    def for_subject(self, subject: str) -> list[Item]:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM outbox WHERE subject_hash = ? ORDER BY created_at",
            (self._vault.lookup_hash(subject),),
        )
        return [self._item(row) for row in rows]

    def retry(self, item_id: str) -> None:
        """A volunteer sends a set-aside item again, now."""
        self._require_state(item_id, (State.REJECTED, State.QUEUED))
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ?",
                (self._clock(), self._clock(), item_id),
            )
            audit.append(conn, "retry", id=item_id)

    def discard(self, item_id: str) -> None:
        """A volunteer gives up on a set-aside item: its personal data goes with it, leaving no remnant."""
        self._require_state(item_id, (State.REJECTED,))
        with self._db.transaction() as conn:
            retention.shred(retention.forget_requests(conn, [item_id]))
            audit.append(conn, "discarded", id=item_id)
        retention.scrub(self._db)

    def _require_state(self, item_id: str, allowed: tuple[State, ...]) -> None:
        state = self.get(item_id).state
        if state not in allowed:
            raise KioskError(f"这一件现在是「{state.words}」，不能这样操作")

    def _item(self, row: tuple) -> Item:
        payload = None
        if len(row) > 8:
            payload = json.loads(self._vault.decrypt(row[8], row[0].encode()))
        item_id, service, state, *rest = row[:8]
        return Item(item_id, service, State(state), *rest, payload=payload)
