"""The kiosk's one SQLite file: WAL, synchronous=FULL, versioned migrations.

A file that SQLite cannot read is moved aside (never deleted: a technician may recover it)
and a fresh database takes its place, so a villager never meets a kiosk that will not start.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from collections.abc import Iterator

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE outbox (
        state TEXT NOT NULL,
        next_attempt_at REAL NOT NULL,
        id TEXT NOT NULL,
        service TEXT NOT NULL,
        payload BLOB NOT NULL,
        subject_hash TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        provincial_receipt TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (state, next_attempt_at, id)
    ) WITHOUT ROWID;
    CREATE INDEX outbox_subject ON outbox (subject_hash) WHERE subject_hash IS NOT NULL;
    CREATE TABLE attachments (
        hash TEXT PRIMARY KEY,
        outbox_id TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'uploaded')),
        next_attempt_at REAL NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX attachments_due ON attachments (state, next_attempt_at);
    CREATE TABLE cache (key TEXT PRIMARY KEY, etag TEXT, body BLOB NOT NULL, fetched_at REAL NOT NULL);
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        event TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    """
    CREATE TABLE face_templates (
        subject_hash TEXT PRIMARY KEY,
        sealed BLOB NOT NULL,
        enrolled_at REAL NOT NULL,
        enrolled_by TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE outbox ADD COLUMN awaits_result INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE answers (
        outbox_id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        subject_hash TEXT,
        sealed BLOB NOT NULL,
        received_at REAL NOT NULL,
        shown_at REAL
    );
    CREATE INDEX answers_subject ON answers (subject_hash) WHERE shown_at IS NULL;
    CREATE TABLE volunteers (name TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, added_at REAL NOT NULL);
    """,
    """
    CREATE TABLE voice_templates (
        id INTEGER PRIMARY KEY,
        speaker_hash TEXT NOT NULL,
        intent TEXT NOT NULL,
        sealed BLOB NOT NULL,
        taught_at REAL NOT NULL,
        consent_at REAL NOT NULL
    );
    CREATE INDEX voice_templates_speaker ON voice_templates (speaker_hash);
    """,
    # Each request's answer is fetched on its own backoff; a photo is kept while any request uses it.
    """
    ALTER TABLE outbox ADD COLUMN result_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN result_next_at REAL NOT NULL DEFAULT 0;
    CREATE TABLE attachment_uses (
        hash TEXT NOT NULL,
        outbox_id TEXT NOT NULL,
        PRIMARY KEY (hash, outbox_id)
    ) WITHOUT ROWID;
    CREATE INDEX attachment_uses_outbox ON attachment_uses (outbox_id);
    INSERT INTO attachment_uses (hash, outbox_id) SELECT hash, outbox_id FROM attachments;
    """,
    # Uploads resume and show progress (received: what the province acknowledged; sent: how far chunks
    # were offered, so the province may hold up to there), and go in order: certification evidence
    # first, then the oldest.
    """
    ALTER TABLE attachments ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attachments ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attachments ADD COLUMN evidence INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attachments ADD COLUMN created_at REAL NOT NULL DEFAULT 0;
    ALTER TABLE attachments ADD COLUMN uploaded_at REAL;
    """,
    # Calls for a volunteer until one says 知道了; the 好差评 given here, counted for the volunteers.
    """
    CREATE TABLE volunteer_calls (id INTEGER PRIMARY KEY, called_at REAL NOT NULL, place TEXT NOT NULL,
        step TEXT NOT NULL);
    CREATE TABLE ratings (request_id TEXT PRIMARY KEY, rating TEXT NOT NULL, rated_at REAL NOT NULL);
    """,
)


OPEN_TRIES = 100


class StorageFull(KioskError):
    """The disk (or the database's size limit) is full: nothing was written."""


FULL_MESSAGE = "存储空间满了，这次没能保存，请叫志愿者处理。"


@dataclass
class Database:
    path: Path
    db: sqlite_utils.Database
    notices: list[str] = field(default_factory=list)
    # The UI's worker threads share one connection; transactions must not interleave.
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a full disk becomes StorageFull with nothing half-written."""
        with self.lock, _full_disk_as_storage_full():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back on some errors (a full disk among them).
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def execute_alone(self, sql: str, args: tuple = ()) -> None:
        """One statement as its own transaction (autocommit): the cheapest durable write."""
        with self.lock:
            try:
                self.conn.execute(sql, args)
            except sqlite3.OperationalError as error:
                _raise_storage_full_if_full(error)
                raise

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def data_version(self) -> int:
        """Changes whenever another connection (another process) commits: a cheap cross-process wake-up."""
        with self.lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def integrity_check(self) -> list[str]:
        rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        return [] if rows == [("ok",)] else [row[0] for row in rows]

    def close(self) -> None:
        self.conn.close()


@contextmanager
def _full_disk_as_storage_full() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as error:
        _raise_storage_full_if_full(error)
        raise


def _raise_storage_full_if_full(error: sqlite3.OperationalError) -> None:
    if "full" in str(error):
        raise StorageFull(FULL_MESSAGE) from None


def connect(path: Path) -> sqlite3.Connection:
    path.touch(mode=0o600)  # for the kiosk user only, as its personal fields are; SQLite gives -wal and -shm the same
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # Deleted personal data is zeroed in the file, not left in free space (see kiosk/store/retention.py).
    conn.execute("PRAGMA secure_delete=ON")
    # Ids are random UUIDs, so a long queue touches pages all over the file: keep more of them in memory.
    conn.execute("PRAGMA cache_size=-16384")
    # A short WAL is reused from its start sooner, and each commit that grows the file costs a metadata sync
    # too: 400 pages beat the default 1000 in bench/queue.py; much shorter slows bench/sync.py's big drain.
    conn.execute("PRAGMA wal_autocheckpoint=400")
    return conn


def open_database(path: Path) -> Database:
    notices: list[str] = []
    try:
        conn = _open_checked(path)
    except sqlite3.OperationalError as error:
        # Locked, busy, unwritable: the file is fine, the moment or the disk is not. Never move it aside.
        raise KioskError(f"数据库暂时打不开（{error}）：{path}") from None
    except sqlite3.DatabaseError as error:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.rename(Path(f"{aside}{suffix}"))
        notice = f"数据库文件损坏（{error}），已移到 {aside.name}，现用新的数据库"
        log.error("database unreadable, moved aside to %s: %s", aside, error)
        notices.append(notice)
        conn = _open_checked(path)
    return Database(path, sqlite_utils.Database(conn), notices)


def _open_checked(path: Path) -> sqlite3.Connection:
    for _ in range(OPEN_TRIES):
        try:
            return _open_once(path)
        except sqlite3.OperationalError as error:
            # Switching a new file to WAL does not wait for the busy timeout: another process opening
            # the same fresh database at this moment (the UI and the relay at boot) makes it "locked".
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            time.sleep(0.05)
    return _open_once(path)


def _open_once(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    try:
        if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("quick_check failed")
        _migrate(conn)
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    # The version is read under the write lock: the UI and the relay service start together at boot,
    # and the second must see what the first has just migrated.
    for number, script in enumerate(MIGRATIONS, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < number:
                for statement in filter(str.strip, script.split(";")):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
