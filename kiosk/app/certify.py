"""养老认证 and any service that asks for the live face: when the face is needed, and what it sends.

A service asks for the live face with a photo field whose source is ``face``. The checked-in villager's
face, proven live at check-in (or proven now, when they checked in by card), fills that field; the
request carries how liveness was proven, and the province compares the photo with its records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.session import Person
    from kiosk.services.catalogue import Field, Service

FACE_SOURCE = "face"


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
