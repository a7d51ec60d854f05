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


def test_the_ui_and_the_relay_opening_a_new_data_dir_at_once_share_one_key_and_one_database(tmp_path):
    """At boot the screen and the relay service start together: neither may take the other's fresh
    database for a corrupt one, or make a key of its own."""
    import threading

    from kiosk.store.store import open_store

    for attempt in range(5):
        folder = tmp_path / str(attempt)
        start = threading.Barrier(6)
        opened = []

        def open_together(folder=folder, start=start, opened=opened):
            start.wait()
            opened.append(open_store(folder))

        threads = [threading.Thread(target=open_together) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(opened) == 6
        assert not list(folder.glob("*.corrupt-*")) and all(not s.notices for s in opened)
        sealed = opened[0].vault.encrypt(b"same key")
        assert all(s.vault.decrypt(sealed) == b"same key" for s in opened)
        assert sorted(p.name for p in folder.glob("*.key*")) == ["kiosk.key"]
        for store in opened:
            store.close()
