"""养老认证 and any service that asks for the live face: when the face is needed, and what it sends.

A service asks for the live face with a photo field whose source is ``face``. The checked-in villager's
face, proven live at check-in (or proven now, when they checked in by card), fills that field; the
request carries how liveness was proven, and the province compares the photo with its records.

When the camera's check does not pass (after its tries), the volunteer at the station may attest
that the villager is present and alive: by their own PIN, as a signature, whether or not helper mode
was on. The evidence then says so, with the failed checks' own evidence beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.app.session import FaceEvidence, Person
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.app.staff import Operator, StaffDesk
    from kiosk.services.catalogue import Field, Service

FACE_SOURCE = "face"
VOLUNTEERS_ONLY = "只有志愿者能确认本人在场，请志愿者输入自己的 PIN。"
NO_PHOTO = "摄像头没有拍到脸，不能确认。请带身份证到乡镇社保所办理。"


def face_field(service: Service) -> Field | None:
    return next((f for f in service.fields if f.source == FACE_SOURCE), None)


class Certify:
    def needs_presence(self, service: Service, person: Person | None) -> bool:
        """The villager checked in without their live face (by card): it is to be proven before the form."""
        return face_field(service) is not None and person is not None and person.evidence is None

    def given_photos(self, service: Service, person: Person | None) -> dict[str, bytes]:
        """The face field answered already by the live face in hand: the form does not ask it."""
        field = face_field(service)
        if field is None or person is None or person.evidence is None:
            return {}
        return {field.id: person.evidence.jpeg}

    def liveness(self, service: Service, person: Person | None) -> dict | None:
        """How liveness was proven, for the province; only with the face it belongs to."""
        if face_field(service) is None or person is None or person.evidence is None:
            return None
        return person.evidence.liveness


class Attest:
    """A volunteer attests, by PIN, that the card holder is present and alive (worker thread)."""

    def __init__(self, desk: StaffDesk, backend: Backend) -> None:
        self._desk = desk
        self._backend = backend

    def __call__(self, pin: str, person: Person, attempts: list[dict], photo: bytes | None) -> tuple[Person, Operator]:
        """The person with the attestation as their evidence, and who attested (now in helper mode).
        A wrong PIN is refused (and counted) by the sign-in itself."""
        from kiosk.app.staff import Role
        from kiosk.identity.face.session import volunteer_attestation

        if not photo:
            raise KioskError(NO_PHOTO)
        before = self._backend.operator
        operator = self._desk.sign_in(pin)
        if operator.role != Role.VOLUNTEER:
            self._backend.operator = before
            raise KioskError(VOLUNTEERS_ONLY)
        self._backend.record("liveness_attested", operator=operator.name, attempts=len(attempts))
        evidence = FaceEvidence(photo, volunteer_attestation(operator.name, attempts))
        return Person(person.name, person.id_number, person.how, evidence), operator
