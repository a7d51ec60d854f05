from kiosk.store.database import MIGRATIONS, open_database
from kiosk.store.store import open_store


def test_wal_full_sync_and_migrations_applied(tmp_path):
    db = open_database(tmp_path / "kiosk.db")
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert conn.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    assert {"outbox", "attachments", "cache", "audit", "settings"} <= set(db.db.table_names())
    assert db.integrity_check() == []
    db.close()
    again = open_database(tmp_path / "kiosk.db")
    assert again.notices == []


def test_corrupt_file_is_kept_aside_and_a_fresh_database_starts(tmp_path):
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not an sqlite file at all" * 100)
    store = open_store(tmp_path)
    assert len(store.notices) == 1 and "已移到" in store.notices[0]
    aside = list(tmp_path.glob("kiosk.db.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    queued = store.outbox.enqueue("guides", {})
    assert store.outbox.get(queued.id).state == "queued"
    store.close()
