import hashlib
import re
import uuid

import pytest

from kiosk.app.staff import photo_progress_words
from kiosk.errors import KioskError
from kiosk.store.database import StorageFull
from kiosk.store.outbox import Outcome, new_id, receipt_number

NAME, ID_NUMBER, PHONE = "张秀英", "410101195001011234", "13912345678"


def test_receipt_is_short_unambiguous_and_derived_from_the_id():
    ids = [new_id() for _ in range(2000)]
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)  # ordered by their millisecond
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    receipts = [receipt_number(i) for i in ids]
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", r) for r in receipts)
    assert len(set(receipts)) == len(receipts)
    assert receipt_number(ids[0]) == receipts[0]


def test_raw_database_and_attachment_files_reveal_no_personal_data(store, kiosk_data_dir):
    photo = b"\xff\xd8JPEG" + PHONE.encode() * 50
    store.outbox.enqueue(
        "farm_listing", {"seller": NAME, "phone": PHONE}, subject=ID_NUMBER, attachments={"photo": photo}
    )
    store.database.conn.execute("PRAGMA wal_checkpoint(FULL)")
    on_disk = b"".join(p.read_bytes() for p in kiosk_data_dir.rglob("*") if p.is_file() and p.name != "kiosk.key")
    for secret in (NAME, ID_NUMBER, PHONE, ID_NUMBER[-8:]):
        assert secret.encode() not in on_disk
        assert secret.encode("utf-16-le") not in on_disk
    item = store.outbox.claim_due(10)[0]
    assert item.payload["phone"] == PHONE
    assert store.outbox.attachment_bytes(store.outbox.pending_attachments(1)[0]) == photo


def test_states_move_queued_sending_accepted_or_rejected_or_back(store):
    clock = [1000.0]
    store.outbox._clock = lambda: clock[0]
    a, b, c = [], [], []
    for slot in (a, b, c):
        clock[0] += 0.001
        slot.append(store.outbox.enqueue("subsidy", {}))
    a, b, c = a[0], b[0], c[0]
    claimed = store.outbox.claim_due(10)
    assert [i.id for i in claimed] == [a.id, b.id, c.id]
    assert store.outbox.claim_due(10) == []
    store.outbox.settle(
        [
            Outcome(a.id, "accepted", receipt="SW1"),
            Outcome(b.id, "rejected", reason="不符合条件"),
            Outcome(c.id, "retry", reason="连不上", delay=30),
        ]
    )
    assert store.outbox.get(a.id).provincial_receipt == "SW1"
    assert store.outbox.get(b.id).last_error == "不符合条件"
    assert store.outbox.claim_due(10) == []
    clock[0] += 31
    assert [i.id for i in store.outbox.claim_due(10)] == [c.id]
    stats = store.outbox.stats()
    assert (stats["accepted"], stats["rejected"], stats["sending"]) == (1, 1, 1)


def test_items_left_sending_by_a_crash_return_to_the_queue(store):
    queued = store.outbox.enqueue("guides", {})
    store.outbox.claim_due(1)
    assert store.outbox.recover_interrupted() == 1
    assert store.outbox.get(queued.id).state == "queued"


def test_volunteer_retries_or_discards_a_set_aside_item(store, kiosk_data_dir):
    kept, dropped = (store.outbox.enqueue("farm_listing", {}, attachments={"photo": bytes([n]) * 10}) for n in (1, 2))
    store.outbox.claim_due(10)
    store.outbox.settle([Outcome(kept.id, "rejected", reason="x"), Outcome(dropped.id, "rejected", reason="y")])
    store.outbox.retry(kept.id)
    assert store.outbox.claim_due(10)[0].id == kept.id
    store.outbox.discard(dropped.id)
    assert len(list((kiosk_data_dir / "attachments").iterdir())) == 1
    with pytest.raises(KioskError, match="没有这一件"):
        store.outbox.get(dropped.id)
    with pytest.raises(KioskError, match="正在发送"):
        store.outbox.discard(kept.id)


def test_lookup_by_id_number_finds_only_that_persons_requests(store):
    mine = store.outbox.enqueue("social_security", {}, subject=ID_NUMBER)
    store.outbox.enqueue("social_security", {}, subject="410101195001015678")
    assert [i.id for i in store.outbox.for_subject(ID_NUMBER)] == [mine.id]


def test_full_disk_gives_a_plain_message_and_leaves_nothing_half_written(store, kiosk_data_dir):
    store.outbox.enqueue("guides", {})
    conn = store.database.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageFull, match="存储空间满了"):
        for _ in range(200):
            store.outbox.enqueue(
                "farm_listing", {"pickup": "村口" * 200}, attachments={"photo": uuid.uuid4().bytes * 400}
            )
    conn.execute("PRAGMA max_page_count = 1073741823")
    ids = {row[0] for row in conn.execute("SELECT outbox_id FROM attachments")}
    assert ids <= {i.id for i in store.outbox.items()}
    files = {p.stem for p in (kiosk_data_dir / "attachments").glob("*.bin")}
    assert files == {row[0] for row in conn.execute("SELECT hash FROM attachments")}
    assert not list((kiosk_data_dir / "attachments").glob("*.partial"))
    assert store.database.integrity_check() == []


def test_photos_upload_evidence_first_then_oldest_first(store):
    clock = [1000.0]
    store.outbox._clock = lambda: clock[0]
    order = []
    for service, name in (("farm_listing", "photo"), ("pension_cert", "face"), ("farm_listing", "photo"),
                          ("pension_cert", "face")):  # fmt: skip
        clock[0] += 10
        photo = f"{service}-{clock[0]}".encode()
        store.outbox.enqueue(service, {}, attachments={name: photo})
        order.append((service, hashlib.sha256(photo).hexdigest()))
    by_hash = dict((digest, service) for service, digest in order)
    pending = [a.hash for a in store.outbox.pending_attachments(10)]
    assert [by_hash[h] for h in pending] == ["pension_cert", "pension_cert", "farm_listing", "farm_listing"]
    assert pending == [order[1][1], order[3][1], order[0][1], order[2][1]]


def test_the_same_photo_as_evidence_later_is_moved_up(store):
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"first"})
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"same"})
    store.outbox.enqueue("pension_cert", {}, attachments={"face": b"same"})
    assert store.outbox.pending_attachments(5)[0].hash == hashlib.sha256(b"same").hexdigest()


def test_photo_progress_counts_the_photos_since_the_oldest_waiting_and_the_current_ones_share(store):
    assert photo_progress_words(store.outbox.stats()) is None
    photos = [bytes([n]) * (1000 * (n + 1)) for n in range(5)]
    for photo in photos:
        store.outbox.enqueue("farm_listing", {}, attachments={"photo": photo})
    digests = [hashlib.sha256(p).hexdigest() for p in photos]
    for digest in digests[:2]:
        store.outbox.attachment_uploaded(digest)
    store.outbox.attachment_progress(digests[2], 1800)
    stats = store.outbox.stats()
    assert (stats["photo_current"], stats["photo_total"], stats["photo_percent"]) == (3, 5, 60)
    assert photo_progress_words(stats) == "照片 3/5，已传 60%"
    for digest in digests[2:]:
        store.outbox.attachment_uploaded(digest)
    assert photo_progress_words(store.outbox.stats()) is None


def test_progress_resets_the_failure_count_and_an_offered_chunk_is_remembered(store):
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"x" * 5000})
    digest = hashlib.sha256(b"x" * 5000).hexdigest()
    store.outbox.attachment_failed(digest, 0)
    store.outbox.attachment_failed(digest, 0)
    store.outbox.attachment_offered(digest, 4000)
    first = store.outbox.pending_attachments(1)[0]
    assert (first.attempts, first.received, first.sent) == (2, 0, 4000)
    store.outbox.attachment_progress(digest, 4000)
    again = store.outbox.pending_attachments(1)[0]
    assert (again.attempts, again.received, again.sent) == (0, 4000, 4000)


def test_photos_waiting_out_a_short_backoff_wake_the_relay_and_text_due_is_known(store):
    clock = [5000.0]
    store.outbox._clock = lambda: clock[0]
    assert store.outbox.next_due_at() is None and not store.outbox.text_due()
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": b"p"})
    store.outbox.settle([Outcome(i.id, "accepted", receipt="R") for i in store.outbox.claim_due(5)])
    store.outbox.attachment_failed(hashlib.sha256(b"p").hexdigest(), 3.0)
    assert store.outbox.next_due_at() == 5003.0 and not store.outbox.text_due()
    store.outbox.enqueue("guides", {})
    assert store.outbox.text_due() and store.outbox.next_due_at() == 5000.0
