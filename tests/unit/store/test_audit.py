import hashlib
import hmac

from kiosk.store import audit
from kiosk.store.store import open_store


def _events(conn, count):
    for n in range(count):
        audit.append(conn, "retry", id=f"item-{n}")


def test_chain_verifies_and_any_edit_breaks_it(store):
    conn = store.database.conn
    _events(conn, 3)
    assert audit.verify(conn) == (3, None)
    conn.execute('UPDATE audit SET details = \'{"id": "forged"}\' WHERE seq = 2')
    assert audit.verify(conn) == (1, 2)


def test_deleting_a_row_breaks_the_chain(store):
    conn = store.database.conn
    _events(conn, 3)
    conn.execute("DELETE FROM audit WHERE seq = 2")
    assert audit.verify(conn) == (1, 3)


def test_volunteer_actions_are_audited_without_personal_data(store):
    queued = store.outbox.enqueue("subsidy", {"phone": "13912345678"}, subject="410101195001011234")
    store.outbox.claim_due(1)
    store.outbox.recover_interrupted()
    store.outbox.retry(queued.id)
    rows = store.database.conn.execute("SELECT event, details FROM audit ORDER BY seq").fetchall()
    assert [event for event, _ in rows] == ["recovered", "retry"]
    text = repr(rows)
    assert "13912345678" not in text and "410101" not in text


def _rechain(conn, mac):
    """What someone who edits the file does next: recompute every hash after the change."""
    prev = audit.GENESIS
    for seq, at, event, details in conn.execute("SELECT seq, at, event, details FROM audit ORDER BY seq").fetchall():
        digest = mac(f"{prev}|{at!r}|{event}|{details}".encode())
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def test_a_row_deleted_and_the_chain_recomputed_without_the_key_is_detected(store):
    conn = store.database.conn
    _events(conn, 4)
    conn.execute("DELETE FROM audit WHERE seq = 2")
    _rechain(conn, lambda text: hashlib.sha256(text).hexdigest())
    assert audit.verify(conn) == (0, 1)
    _rechain(conn, lambda text: hmac.new(b"a guessed key", text, hashlib.sha256).hexdigest())
    assert audit.verify(conn) == (0, 1)
    _rechain(conn, lambda text: hmac.new(store.vault.audit_key, text, hashlib.sha256).hexdigest())
    assert audit.verify(conn) == (3, None)  # with the key it passes here: only the province can tell (heads)


def test_a_chain_from_before_keys_is_keyed_once_when_intact(kiosk_data_dir):
    store = open_store(kiosk_data_dir)
    conn = store.database.conn
    _events(conn, 3)
    _rechain(conn, lambda text: hashlib.sha256(text).hexdigest())  # as the kiosk wrote it before
    conn.execute("DELETE FROM settings WHERE key = ?", (audit.KEYED_MARK,))
    store.close()
    again = open_store(kiosk_data_dir)
    try:
        assert again.audit.verify() == (3, None)
    finally:
        again.close()
