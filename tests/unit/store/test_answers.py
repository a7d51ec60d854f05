from kiosk.store.outbox import Outcome

ID_NUMBER = "410102195001012343"
RESULT = {"title": "社保查询结果", "lines": ["养老金每月 2,104.50 元"]}


def _accepted(store, awaits_result=True, attachments=None):
    queued = store.outbox.enqueue(
        "social_security", {"topic": "pension"}, subject=ID_NUMBER, awaits_result=awaits_result, attachments=attachments
    )
    store.outbox.claim_due(10)
    store.outbox.settle([Outcome(queued.id, "accepted", receipt="SW1")])
    return queued.id


def test_answer_is_kept_encrypted_for_its_person_until_shown(store, kiosk_data_dir):
    item_id = _accepted(store)
    assert store.answers.awaited(10) == [(item_id, 0)]
    store.answers.keep(item_id, RESULT)
    assert store.answers.awaited(10) == []
    store.database.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert "养老金每月".encode() not in (kiosk_data_dir / "kiosk.db").read_bytes()
    [answer] = store.answers.unseen_for(ID_NUMBER)
    assert (answer.title, answer.lines) == ("社保查询结果", ("养老金每月 2,104.50 元",))
    assert store.answers.unseen_for("110105194912310021") == []
    store.answers.mark_shown(item_id)
    assert store.answers.unseen_for(ID_NUMBER) == [] and store.answers.get(item_id) is not None


def test_hostile_result_is_trimmed_not_trusted(store):
    item_id = _accepted(store)
    store.answers.keep(item_id, {"title": "x" * 500, "lines": ["y" * 5000] * 50 + [{"nested": 1}]})
    answer = store.answers.get(item_id)
    assert len(answer.title) == 40 and len(answer.lines) == 10 and all(len(line) <= 200 for line in answer.lines)
