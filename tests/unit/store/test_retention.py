"""Personal data leaves on time, and leaves nothing readable behind (kiosk/store/retention.py)."""

import hashlib
import time
from pathlib import Path

from kiosk.store.outbox import Outbox, Outcome
from kiosk.store.retention import DAY_S, Retention
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay

ID_NUMBER = "410102195001012343"
RULES = {"answers_days": 30, "accepted_days": 30, "set_aside_days": 14, "max_days": 90}


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


def _clocked(store):
    clock = Clock()
    return clock, Outbox(store.database, store.vault, clock=clock), Retention(store.database, clock=clock)


def _settle(outbox, item_id, status, **kwargs):
    outbox.claim_due(100)
    outbox.settle([Outcome(item_id, status, **kwargs)])


def _events(store):
    return [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]


def test_accepted_request_still_awaiting_its_answer_is_purged_at_the_hard_limit(store, kiosk_data_dir):
    clock, outbox, retention = _clocked(store)
    waiting = outbox.enqueue("social_security", {"topic": "pension"}, subject=ID_NUMBER, awaits_result=True,
                             attachments={"photo": b"\xff\xd8 face"})  # fmt: skip
    _settle(outbox, waiting.id, "accepted", receipt="SW1")
    clock.now += 89 * DAY_S
    assert retention.purge(**RULES).total == 0
    assert store.answers.awaited(10) == [(waiting.id, 0)]
    clock.now += 2 * DAY_S
    assert retention.purge(**RULES).accepted == 1
    assert outbox.items() == [] and store.answers.awaited(10) == []
    assert list((kiosk_data_dir / "attachments").iterdir()) == []


def test_answers_and_answered_requests_go_after_their_own_retention_and_nothing_unsent_does(store):
    clock, outbox, retention = _clocked(store)
    answered = outbox.enqueue("social_security", {"topic": "pension"}, subject=ID_NUMBER, awaits_result=True)
    _settle(outbox, answered.id, "accepted", receipt="SW1")
    store.answers.keep(answered.id, {"title": "社保查询结果", "lines": ["养老金每月 2,104.50 元"]})
    unsent = outbox.enqueue("subsidy", {"area_mu": 3})
    clock.now += 29 * DAY_S
    assert retention.purge(**RULES).total == 0
    clock.now += 2 * DAY_S
    assert retention.purge(**RULES) == type(retention.purge(**RULES))(answers=1, accepted=1)
    assert [item.id for item in outbox.items()] == [unsent.id]
    assert _events(store)[-1] == "purged"


def test_set_aside_request_is_purged_after_its_own_retention_with_an_audit_line(store):
    clock, outbox, retention = _clocked(store)
    rejected = outbox.enqueue("subsidy", {"area_mu": 900, "phone": "13800138000"}, subject=ID_NUMBER)
    _settle(outbox, rejected.id, "rejected", reason="不符合条件")
    clock.now += 13 * DAY_S
    assert retention.purge(**RULES).set_aside == 0
    clock.now += 2 * DAY_S
    assert retention.purge(**RULES).set_aside == 1
    assert outbox.items() == []
    last = store.database.query("SELECT event, details FROM audit ORDER BY seq DESC LIMIT 1")[0]
    assert last == ("set_aside_purged", '{"after_days": 14, "requests": 1}')


def _raw_files(data_dir: Path) -> dict[str, bytes]:
    files = [data_dir / name for name in ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm")]
    files += sorted((data_dir / "attachments").glob("*")) if (data_dir / "attachments").exists() else []
    return {path.name: path.read_bytes() for path in files if path.exists()}


def _sealed(store, item_id):
    payload = store.database.query("SELECT payload FROM outbox WHERE id = ?", (item_id,))[0][0]
    photos = [Path(p).read_bytes() for (p,) in store.database.query(
        "SELECT path FROM attachments JOIN attachment_uses USING (hash) WHERE attachment_uses.outbox_id = ?",
        (item_id,))]  # fmt: skip
    # Pieces of each ciphertext, so a remnant anywhere in a page or a WAL frame is found.
    return [blob[offset : offset + 24] for blob in (payload, *photos) for offset in (12, len(blob) // 2)]


def _remnants(data_dir, pieces):
    return sorted({name for name, raw in _raw_files(data_dir).items() for piece in pieces if piece in raw})


def test_discard_and_purge_leave_no_ciphertext_in_the_database_its_wal_shm_or_photo_files(store, kiosk_data_dir):
    clock, outbox, retention = _clocked(store)
    other = outbox.enqueue("subsidy", {"area_mu": 2}, attachments={"photo": b"other photo " * 200})
    listing = {"phone": "13800138000", "note": "x" * 3000}
    discarded = outbox.enqueue("farm_listing", listing, subject=ID_NUMBER, attachments={"photo": b"\xffdisc" * 900})
    subsidy = {"area_mu": 900, "phone": "13900139000"}
    purged = outbox.enqueue("subsidy", subsidy, subject=ID_NUMBER, attachments={"photo": b"\xffpurged" * 900})
    outbox.claim_due(100)
    outbox.settle([Outcome(discarded.id, "rejected", reason="r"), Outcome(purged.id, "rejected", reason="r")])
    doomed = _sealed(store, discarded.id) + _sealed(store, purged.id)
    kept = _sealed(store, other.id)
    assert _remnants(kiosk_data_dir, doomed), "the test must see the ciphertext before it goes"

    outbox.discard(discarded.id)
    clock.now += 15 * DAY_S
    assert retention.purge(**RULES).set_aside == 1

    assert _remnants(kiosk_data_dir, doomed) == []
    assert _remnants(kiosk_data_dir, kept)  # the search would find what is still there
    assert store.outbox.get(other.id).state == "sending"  # claimed with the others, never settled


def test_a_photo_shared_by_a_corrected_copy_outlives_the_discarded_original_and_arrives(store, province):
    photo = b"\xff\xd8 the same produce photo"
    original = store.outbox.enqueue("farm_listing", {"price": 0}, attachments={"photo": photo})
    _settle(store.outbox, original.id, "rejected", reason="价格不对")
    corrected = store.outbox.enqueue("farm_listing", {"price": 5}, attachments={"photo": photo})
    store.outbox.discard(original.id)  # what "fix and resend" does once the copy is saved
    item = store.outbox.get(corrected.id, with_payload=True)
    assert store.outbox.photos_of(item) == {"photo": photo}
    [pending] = store.outbox.pending_attachments(10)
    assert pending.outbox_id == corrected.id and store.outbox.attachment_bytes(pending) == photo
    config = province.config()
    report = Relay(store.outbox, ProvincialClient(config), config.sync).run_once()
    assert (report.accepted, report.attachments) == (1, 1)
    assert province.province.attachment_progress(hashlib.sha256(photo).hexdigest()) == {
        "received": len(photo), "complete": True}  # fmt: skip
