"""Fix and resend: a volunteer corrects a request the province set aside, and the corrected copy replaces it.

The form opens at the read-back with what was sent, for the villager it was made for (vouched for
by the volunteer). Saving the corrected copy and removing the set-aside one are one transaction
(``SubmitRequest`` with the draft's ``replaces``): a crash in between cannot leave both, or neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.app.certify import face_field
from kiosk.app.session import CheckinMethod, FaceEvidence, Person
from kiosk.errors import InvalidInput
from kiosk.services.form import FormSession

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.app.submit import Draft, SubmitRequest
    from kiosk.services.catalogue import Catalogue


@dataclass(frozen=True)
class SetAside:
    """A set-aside request as it was sent (decrypted), for a volunteer to correct."""

    item_id: str
    service_id: str
    payload: dict = field(repr=False)
    photos: dict[str, bytes] = field(repr=False)


@dataclass(frozen=True)
class Fixing:
    draft: Draft
    form: FormSession
    person: Person | None  # the villager it was made for, to check in with the volunteer


class FixAndResend:
    def __init__(self, backend: Backend, submit: SubmitRequest, catalogue: Catalogue) -> None:
        self._backend = backend
        self._submit = submit
        self._catalogue = catalogue

    def load(self, item_id: str) -> SetAside:
        """On a worker: reads and decrypts the request and its photos."""
        outbox = self._backend.store().outbox
        item = outbox.get(item_id, with_payload=True)
        return SetAside(item.id, item.service, item.payload, outbox.photos_of(item))

    def begin(self, set_aside: SetAside) -> Fixing | None:
        """The corrected copy's form at the read-back; None if the service is no longer offered (GUI thread)."""
        try:
            service = self._catalogue.service(set_aside.service_id)
        except InvalidInput:
            return None
        payload, photos = set_aside.payload, set_aside.photos
        applicant = payload.get("applicant") or {}
        person = None
        if applicant.get("id_number"):
            face = face_field(service)
            liveness = payload.get("liveness")
            evidence = None
            if face is not None and face.id in photos and isinstance(liveness, dict):  # proven when it was made
                evidence = FaceEvidence(photos[face.id], liveness)
            person = Person(applicant.get("name", ""), applicant["id_number"], CheckinMethod.VOLUNTEER, evidence)
        draft = self._submit.begin(service, person, replaces=set_aside.item_id)
        form = FormSession(service, photos)
        try:
            form.prefill(payload)
        except InvalidInput:
            form = FormSession(service, photos)  # the old answers no longer pass: ask them afresh
        return Fixing(draft, form, person)
