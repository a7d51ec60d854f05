from kiosk.store import audit


def test_chain_verifies_and_any_edit_breaks_it(store):
    for n in range(3):
        store.outbox.enqueue("guides", {"n": n})
    conn = store.database.conn
    assert audit.verify(conn) == (3, None)
    conn.execute('UPDATE audit SET details = \'{"id": "forged"}\' WHERE seq = 2')
    assert audit.verify(conn) == (1, 2)


def test_deleting_a_row_breaks_the_chain(store):
    for n in range(3):
        store.outbox.enqueue("guides", {"n": n})
    store.database.conn.execute("DELETE FROM audit WHERE seq = 2")
    assert audit.verify(store.database.conn) == (1, 3)
