"""Submit a request, without Qt: the payload the province gets, when the face is needed, one request per intention."""

import json
import threading
import time

import pytest

from kiosk.app.backend import Backend
from kiosk.app.certify import face_field
from kiosk.app.session import CheckinMethod, FaceEvidence, Person
from kiosk.app.staff import Operator, Role
from kiosk.app.submit import SubmitRequest
from kiosk.errors import InvalidInput
from kiosk.services.form import FormSession
from kiosk.services.reference import reference_files
from tests.helpers.evidence import live_evidence

BY_CARD = Person("张秀英", "410102195001012343", CheckinMethod.CARD)
LIVENESS = live_evidence()
BY_FACE = Person("张秀英", "410102195001012343", CheckinMethod.FACE, FaceEvidence(b"\xff\xd8 live face", LIVENESS))


@pytest.fixture
def catalogue():
    return reference_files().catalogue()


def _subsidy(catalogue):
    form = FormSession(catalogue.service("subsidy"))
    for answer in ("farmland_protection", 12.5, "13800138000"):
        form.answer(answer)
    return form


def test_the_province_gets_the_answers_and_who_asks_and_the_request_is_found_by_the_person(store, catalogue):
    woken = []
    submit = SubmitRequest(Backend.over(store, lambda queued=0: woken.append(queued)))
    form = _subsidy(catalogue)
    draft = submit.begin(form.service, BY_CARD)
    assert not draft.needs_live_face and draft.given_photos == {}
    queued = submit(submit.request(draft, form, BY_CARD))
    item = store.outbox.get(queued.id, with_payload=True)
    assert item.service == "subsidy" and item.state == "queued" and woken == [1]
    assert item.payload == {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000",
                            "applicant": {"name": "张秀英", "id_number": "410102195001012343"}}  # fmt: skip
    assert [i.id for i in store.outbox.for_subject(BY_CARD.id_number)] == [queued.id]


def test_an_unfinished_form_is_refused_before_anything_is_saved(store, catalogue):
    submit = SubmitRequest(Backend.over(store))
    form = FormSession(catalogue.service("subsidy"))
    form.answer("farmland_protection")
    with pytest.raises(InvalidInput):
        submit.request(submit.begin(form.service, BY_CARD), form, BY_CARD)
    assert store.outbox.stats()["queued"] == 0


def test_taps_while_the_first_save_is_on_its_way_and_a_later_retry_give_one_request(store, catalogue, monkeypatch):
    enqueue = store.outbox.enqueue

    def slow_enqueue(*args, **kwargs):  # a slow disk: the other taps arrive while the first is saving
        time.sleep(0.2)
        return enqueue(*args, **kwargs)

    monkeypatch.setattr(store.outbox, "enqueue", slow_enqueue)
    submit = SubmitRequest(Backend.over(store))
    form = _subsidy(catalogue)
    draft = submit.begin(form.service, BY_CARD)
    got = []
    taps = [threading.Thread(target=lambda: got.append(submit(submit.request(draft, form, BY_CARD))))
            for _ in range(3)]  # fmt: skip
    for tap in taps:
        tap.start()
    for tap in taps:
        tap.join()
    assert len(got) == 3 and len({queued.id for queued in got}) == 1
    assert submit(submit.request(draft, form, BY_CARD)) == got[0]  # a retry: the same receipt
    assert store.outbox.stats()["queued"] == 1
    again = submit.begin(form.service, BY_CARD)  # the villager starts the service once more: a new intention
    assert submit(submit.request(again, _subsidy(catalogue), BY_CARD)) != got[0]
    assert store.outbox.stats()["queued"] == 2


def test_a_draft_submitted_a_second_time_gives_back_the_same_queued_request(store, catalogue):
    submit = SubmitRequest(Backend.over(store))
    form = _subsidy(catalogue)
    draft = submit.begin(form.service, BY_CARD)
    first = submit(submit.request(draft, form, BY_CARD))
    second = submit(submit.request(draft, form, BY_CARD))  # 提交 again, or 对 said after the tap
    assert second is first and second.receipt == first.receipt
    assert [i.id for i in store.outbox.items()] == [first.id]


def test_only_a_query_asked_online_for_someone_checked_in_waits_for_its_answer(store, catalogue):
    submit = SubmitRequest(Backend.over(store))
    query = FormSession(catalogue.service("social_security"))
    query.answer("pension")
    asked = submit.request(submit.begin(query.service, BY_CARD), query, BY_CARD)
    assert asked.answered_at_once(online=True)
    assert not asked.answered_at_once(online=False)  # offline: the receipt at once, the answer next visit
    subsidy = _subsidy(catalogue)
    applied = submit.request(submit.begin(subsidy.service, BY_CARD), subsidy, BY_CARD)
    assert not applied.answered_at_once(online=True)


def test_a_failed_save_can_be_tried_again_and_then_is_saved_once(store, catalogue, monkeypatch):
    from kiosk.store.database import StorageFull

    enqueue = store.outbox.enqueue
    outcomes = iter([StorageFull("存储空间满了"), None])

    def full_once(*args, **kwargs):
        failure = next(outcomes)
        if failure is not None:
            raise failure
        return enqueue(*args, **kwargs)

    monkeypatch.setattr(store.outbox, "enqueue", full_once)
    submit = SubmitRequest(Backend.over(store))
    form = _subsidy(catalogue)
    request = submit.request(submit.begin(form.service, BY_CARD), form, BY_CARD)
    with pytest.raises(StorageFull):
        submit(request)
    queued = submit(request)
    assert submit(request) == queued and store.outbox.stats()["queued"] == 1


def test_a_certification_after_a_card_check_in_needs_the_live_face_first(catalogue, store):
    submit = SubmitRequest(Backend.over(store))
    assert submit.begin(catalogue.service("pension_cert"), BY_CARD).needs_live_face
    assert not submit.begin(catalogue.service("subsidy"), BY_CARD).needs_live_face
    assert not submit.begin(catalogue.service("pension_cert"), None).needs_live_face  # no one to prove


def test_the_live_face_answers_the_face_question_and_goes_with_how_liveness_was_proven(catalogue, store):
    submit = SubmitRequest(Backend.over(store))
    cert = catalogue.service("pension_cert")
    draft = submit.begin(cert, BY_FACE)
    assert not draft.needs_live_face and draft.given_photos == {face_field(cert).id: BY_FACE.evidence.jpeg}
    form = FormSession(cert, draft.given_photos)
    assert form.step.field is None  # straight to the read-back: nothing else to ask
    queued = submit(submit.request(draft, form, BY_FACE))
    item = store.outbox.get(queued.id, with_payload=True)
    assert item.payload["liveness"] == LIVENESS
    assert store.outbox.photos_of(item) == {"face": BY_FACE.evidence.jpeg}
    subsidy = _subsidy(catalogue)  # a service without a face question carries no face and no liveness
    other = submit(submit.request(submit.begin(subsidy.service, BY_FACE), subsidy, BY_FACE))
    assert "liveness" not in store.outbox.get(other.id, with_payload=True).payload


def test_in_helper_mode_the_audit_names_the_volunteer_and_the_villager_only_by_a_keyed_hash(store, catalogue):
    backend = Backend.over(store)
    backend.operator = Operator("李明", Role.VOLUNTEER)
    submit = SubmitRequest(backend)
    form = _subsidy(catalogue)
    queued = submit(submit.request(submit.begin(form.service, BY_CARD), form, BY_CARD))
    [(details,)] = store.database.query("SELECT details FROM audit WHERE event = 'assisted'")
    assert json.loads(details) == {"id": queued.id, "operator": "李明",
                                   "subject": store.vault.lookup_hash(BY_CARD.id_number)}  # fmt: skip
    assert BY_CARD.id_number not in details


def _listing(form):
    for answer in ("fruit", b"\xff\xd8 fruit", "jin", 30, 3.5, "村委会门口"):
        form.answer(answer)
    return form


def test_a_listing_sold_by_the_villager_checked_in_names_her_without_asking(store, catalogue):
    submit = SubmitRequest(Backend.over(store))
    listing = catalogue.service("farm_listing")
    draft = submit.begin(listing, BY_CARD)
    assert not draft.needs_checkin and draft.given_answers == {"seller_name": "张秀英"}
    form = _listing(FormSession(listing, draft.given_photos, draft.given_answers))
    assert form.step.field.id == "phone"  # the seller's name is not asked
    form.answer("13912345678")
    assert ("卖家姓名", "张*英") in [(line.field.label, line.value) for line in form.read_back()]  # as the welcome
    request = submit.request(draft, form, BY_CARD)
    assert "".join(request.what_next) == "上架以后，有人要买会打卖家留的电话。结果回来后，您下次来登记身份就能看到。"
    item = store.outbox.get(submit(request).id, with_payload=True)
    assert item.payload["seller_name"] == "张秀英" and item.payload["applicant"]["id_number"] == BY_CARD.id_number


def test_a_listing_with_nobody_checked_in_needs_the_seller_or_a_volunteer_who_names_them(store, catalogue):
    backend = Backend.over(store)
    submit = SubmitRequest(backend)
    listing = catalogue.service("farm_listing")
    assert submit.begin(listing, None).needs_checkin  # nobody has said who sells
    form = _listing(FormSession(listing))
    form.answer("李大山")
    form.answer("13912345678")
    with pytest.raises(InvalidInput, match="先登记卖家"):  # the rule holds in the use-case, not only on screen
        submit.request(submit.begin(listing, None), form, None)
    backend.operator = Operator("李明", Role.VOLUNTEER)
    draft = submit.begin(listing, None)
    assert not draft.needs_checkin and draft.given_answers == {}  # the volunteer types the seller's name
    request = submit.request(draft, form, None)
    assert (
        "".join(request.what_next) == "上架以后，有人要买会打卖家留的电话。"
    )  # no check-in: nobody to show a result to
    item = store.outbox.get(submit(request).id, with_payload=True)
    assert item.payload["seller_name"] == "李大山" and "applicant" not in item.payload
