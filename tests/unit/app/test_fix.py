"""Fix and resend, without Qt: the corrected copy replaces the set-aside request in one transaction."""

import pytest

from kiosk.app.backend import Backend
from kiosk.app.fix import FixAndResend
from kiosk.app.submit import SubmitRequest
from kiosk.errors import KioskError
from kiosk.services.reference import reference_files
from kiosk.store import outbox as outbox_module
from kiosk.store.outbox import Outcome
from kiosk.store.states import Settled

APPLICANT = {"name": "张秀英", "id_number": "410102195001012343"}
PHOTO = b"\xff\xd8 a basket of pears"


def _set_aside(store, service, payload, photos=None):
    queued = store.outbox.enqueue(service, payload, subject=APPLICANT["id_number"], attachments=photos)
    store.outbox.claim_due(10)
    store.outbox.settle([Outcome(queued.id, Settled.REJECTED, reason="省平台说不符合申领条件")])
    return queued.id


@pytest.fixture
def desk(store):
    backend = Backend.over(store)
    submit = SubmitRequest(backend)
    return submit, FixAndResend(backend, submit, reference_files().catalogue())


def _resend_with(submit, fixing, step_back, *answers):
    form = fixing.form
    for _ in range(step_back):
        form.back()
    for answer in answers:
        form.answer(answer)
    return submit(submit.request(fixing.draft, form, fixing.person))


def test_the_corrected_copy_replaces_the_set_aside_request_for_the_same_villager(store, desk):
    submit, fix = desk
    payload = {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "13800138000", "applicant": APPLICANT}
    old = _set_aside(store, "subsidy", payload)
    fixing = fix.begin(fix.load(old))
    assert fixing.form.step.field is None  # it opens at the read-back of what was sent
    assert fixing.person.id_number == APPLICANT["id_number"] and fixing.person.how == "volunteer"
    queued = _resend_with(submit, fixing, 2, 90, "13800138000")
    assert [i.id for i in store.outbox.items()] == [queued.id]
    fixed = store.outbox.get(queued.id, with_payload=True)
    assert fixed.state == "queued" and fixed.payload["area_mu"] == 90 and fixed.payload["applicant"] == APPLICANT
    events = [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]
    assert events[-1] == "fixed"


def test_a_failure_inside_the_swap_leaves_the_set_aside_request_as_it_was_and_saves_nothing(store, desk, monkeypatch):
    submit, fix = desk
    payload = {"product": "fruit", "quantity": 30, "unit": "jin", "price": 3.5, "pickup": "村委会门口",
               "seller_name": "李大山", "phone": "13912345678", "applicant": APPLICANT}  # fmt: skip
    old = _set_aside(store, "farm_listing", payload, {"photo": PHOTO})
    fixing = fix.begin(fix.load(old))
    real_append = outbox_module.audit.append

    def power_cut(conn, event, **details):  # the last write of the swap fails: nothing of it may remain
        if event == "fixed":
            raise OSError("disk I/O error")
        real_append(conn, event, **details)

    monkeypatch.setattr(outbox_module.audit, "append", power_cut)
    with pytest.raises(OSError):
        _resend_with(submit, fixing, 1, "13912345679")
    assert [(i.id, i.state) for i in store.outbox.items()] == [(old, "rejected")]
    assert store.outbox.photos_of(store.outbox.get(old, with_payload=True)) == {"photo": PHOTO}


def test_the_photo_the_corrected_copy_keeps_is_still_sent_and_a_replaced_one_is_deleted(store, desk):
    submit, fix = desk
    payload = {"product": "fruit", "quantity": 30, "unit": "jin", "price": 3.5, "pickup": "村委会门口",
               "seller_name": "李大山", "phone": "13912345678", "applicant": APPLICANT}  # fmt: skip
    old = _set_aside(store, "farm_listing", payload, {"photo": PHOTO})
    kept = _resend_with(submit, fix.begin(fix.load(old)), 1, "13912345679")  # the phone was wrong, the photo fine
    [pending] = store.outbox.pending_attachments(5)
    assert pending.outbox_id == kept.id and store.outbox.attachment_bytes(pending) == PHOTO
    second = _set_aside(store, "farm_listing", payload, {"photo": PHOTO + b" (old)"})
    old_file = next(a.path for a in store.outbox.pending_attachments(5) if a.outbox_id == second)
    new = store.outbox.enqueue("farm_listing", payload, attachments={"photo": PHOTO + b" (new)"}, replaces=second)
    assert not old_file.exists()
    assert {a.outbox_id for a in store.outbox.pending_attachments(5)} == {kept.id, new.id}


def test_a_request_no_longer_set_aside_is_not_replaced(store, desk):
    submit, fix = desk
    payload = {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "13800138000", "applicant": APPLICANT}
    old = _set_aside(store, "subsidy", payload)
    fixing = fix.begin(fix.load(old))
    store.outbox.retry(old)  # meanwhile another volunteer sent it again as it was
    with pytest.raises(KioskError, match="已经不在被退回的队列里"):
        _resend_with(submit, fixing, 2, 90, "13800138000")
    assert [(i.id, i.state) for i in store.outbox.items()] == [(old, "queued")]


def test_a_service_no_longer_offered_cannot_be_fixed(store, desk):
    _, fix = desk
    old = _set_aside(store, "retired_service", {"x": 1})
    assert fix.begin(fix.load(old)) is None
