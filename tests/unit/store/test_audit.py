from kiosk.store import audit


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
