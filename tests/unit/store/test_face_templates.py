import numpy as np

NAME, ID_NUMBER = "张秀英", "410102195001012343"


def test_templates_are_encrypted_and_found_by_id_number(store, kiosk_data_dir):
    template = np.random.default_rng(1).random(128, dtype=np.float32).tobytes()
    store.faces.enroll(NAME, ID_NUMBER, template, volunteer="志愿者李")
    store.database.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = (kiosk_data_dir / "kiosk.db").read_bytes()
    assert NAME.encode() not in raw and ID_NUMBER.encode() not in raw and template[:16] not in raw
    found = store.faces.for_id_number(ID_NUMBER)
    assert (found.name, found.id_number, found.template) == (NAME, ID_NUMBER, template)
    assert [e.id_number for e in store.faces.all()] == [ID_NUMBER]
    assert store.faces.for_id_number("110101199003074477") is None


def test_withdrawing_consent_deletes_the_template(store):
    store.faces.enroll(NAME, ID_NUMBER, b"\x00" * 512, volunteer="志愿者李")
    assert store.faces.remove(ID_NUMBER)
    assert store.faces.for_id_number(ID_NUMBER) is None
    events = [e for (e,) in store.database.conn.execute("SELECT event FROM audit ORDER BY seq")]
    assert events == ["face_enrolled", "face_removed"]
