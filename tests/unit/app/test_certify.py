"""A volunteer's attestation, without Qt: signed by the volunteer's own PIN, recorded as such in the evidence."""

import jsonschema
import pytest

from kiosk.app.backend import Backend
from kiosk.app.certify import NO_PHOTO, VOLUNTEERS_ONLY, Attest
from kiosk.app.session import CheckinMethod, Person
from kiosk.app.staff import Operator, Role, StaffDesk
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.store.crypto import hash_pin
from tests.helpers.evidence import live_evidence
from tests.unit.identity.face.test_session import _contract_schema

BY_CARD = Person("张秀英", "410102195001012343", CheckinMethod.CARD)
FAILED = [live_evidence(**{"passed": False, "failure": "wrong_action", "checks.actions": False})] * 2
PHOTO = b"\xff\xd8 her face"


@pytest.fixture
def attest(store, kiosk_data_dir):
    store.volunteers.add("王芳", "246802")
    backend = Backend.over(store)
    desk = StaffDesk(backend, Config(technician_pin_hash=hash_pin("13572468")), kiosk_data_dir)
    return Attest(desk, backend), backend


def test_a_volunteer_attests_by_pin_and_the_evidence_says_who_with_the_failed_checks(attest, store):
    attesting, backend = attest
    person, operator = attesting("246802", BY_CARD, FAILED, PHOTO)
    assert operator == Operator("王芳", Role.VOLUNTEER) and backend.operator == operator  # helper mode from now
    assert (person.name, person.id_number, person.evidence.jpeg) == (BY_CARD.name, BY_CARD.id_number, PHOTO)
    evidence = person.evidence.liveness
    assert evidence["method"] == "volunteer" and evidence["volunteer"] == "王芳" and evidence["attempts"] == FAILED
    jsonschema.validate(evidence, _contract_schema("LivenessEvidence"))
    events = [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]
    assert events[-2:] == ["staff_signed_in", "liveness_attested"]


def test_a_wrong_pin_the_technician_or_no_face_photo_cannot_attest(attest, store):
    attesting, backend = attest
    with pytest.raises(KioskError, match="PIN 不对"):
        attesting("111111", BY_CARD, FAILED, PHOTO)
    with pytest.raises(KioskError) as refused:
        attesting("13572468", BY_CARD, FAILED, PHOTO)
    assert refused.value.message == VOLUNTEERS_ONLY and backend.operator is None  # no helper mode either
    with pytest.raises(KioskError) as refused:
        attesting("246802", BY_CARD, FAILED, None)
    assert refused.value.message == NO_PHOTO and backend.operator is None
    assert ("liveness_attested",) not in store.database.query("SELECT event FROM audit")
