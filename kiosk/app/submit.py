"""Submit a villager's request: the province's payload from the form, who asks, and one request per intention.

A ``Draft`` is one intention: the form a villager began. However often its request is submitted (a
second tap, a tap while the first save is still on its way, a retry), it is queued once, and every
later submit answers with the same receipt. A draft that corrects a request the province set aside
replaces it in the same transaction (fix and resend).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.app import seller
from kiosk.app.certify import Certify
from kiosk.errors import InvalidInput
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.app.session import Person
    from kiosk.services.catalogue import Service
    from kiosk.services.form import FormSession
    from kiosk.store.outbox import Queued

ANSWERED_KINDS = ("query", "certification", "listing")  # the province sends something back for these
SEEN_NEXT_TIME = phrase("screen.receipt.answer_later", "结果回来后，您下次来登记身份就能看到。")
LISTED = phrase("screen.receipt.listed", "上架以后，有人要买会打卖家留的电话。")


class Delivery(StrEnum):
    """How a saved request goes on to the province, as its receipt says it."""

    NOW = "now"  # the network is up: the relay is sending it
    WHEN_ONLINE = "when_online"  # no network: it goes when the network returns
    UNANSWERED = "unanswered"  # a query the province did not answer in time: it goes on like an offline one


@dataclass(eq=False)
class Draft:
    service: Service
    given_photos: dict[str, bytes] = field(default_factory=dict, repr=False)  # the live face, already in hand
    given_answers: dict[str, object] = field(default_factory=dict, repr=False)  # the seller checked in
    needs_live_face: bool = False  # the live face is to be proven before the form (a card check-in)
    needs_checkin: bool = False  # nobody has said who this is for: check in first
    replaces: str | None = None  # the set-aside request this corrects
    queued: Queued | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass(frozen=True)
class Request:
    draft: Draft
    payload: dict
    photos: dict[str, bytes]
    subject: str | None  # the villager's ID number: the request is found by its keyed hash

    @property
    def awaits_result(self) -> bool:
        return self.draft.service.kind in ANSWERED_KINDS

    def answered_at_once(self, online: bool) -> bool:
        """A query asked online is answered while she waits (up to the configured limit); anything else,
        and a query asked offline, gets its receipt as soon as it is saved."""
        return online and self.draft.service.kind == "query" and self.subject is not None

    @property
    def what_next(self) -> tuple[str, ...]:
        """What the receipt promises, and only what will happen: an answer is seen at the next check-in
        only by someone who checked in (a seller a volunteer named is not)."""
        listed = (LISTED,) if self.draft.service.kind == "listing" else ()
        return listed + ((SEEN_NEXT_TIME,) if self.awaits_result and self.subject else ())


class SubmitRequest:
    def __init__(self, backend: Backend, certify: Certify | None = None) -> None:
        self._backend = backend
        self._certify = certify or Certify()

    def begin(self, service: Service, person: Person | None, replaces: str | None = None) -> Draft:
        """A villager starts a service (GUI thread: nothing slow)."""
        return Draft(
            service,
            given_photos=self._certify.given_photos(service, person),
            given_answers=seller.given_answers(service, person),
            needs_live_face=self._certify.needs_presence(service, person),
            needs_checkin=seller.needs_checkin(service, person, self._backend.operator),
            replaces=replaces,
        )

    def request(self, draft: Draft, form: FormSession, person: Person | None) -> Request:
        """The request as the province will get it; raises InvalidInput naming what is missing (GUI thread)."""
        if seller.needs_checkin(draft.service, person, self._backend.operator):
            raise InvalidInput(seller.NO_SELLER)
        payload = form.payload()
        if person is not None:  # the province must know who asks; encrypted at rest like the rest
            payload["applicant"] = {"name": person.name, "id_number": person.id_number}
            liveness = self._certify.liveness(draft.service, person)
            if liveness is not None:
                payload["liveness"] = liveness
        return Request(draft, payload, dict(form.photos), person.id_number if person else None)

    def __call__(self, request: Request) -> Queued:
        """Save it durably (worker thread) and wake the relay; the same draft always gives the same request."""
        draft = request.draft
        with draft.lock:
            if draft.queued is not None:
                return draft.queued
            store = self._backend.store()
            draft.queued = store.outbox.enqueue(
                draft.service.id,
                request.payload,
                subject=request.subject,
                attachments=request.photos or None,
                awaits_result=request.awaits_result,
                replaces=draft.replaces,
            )
        operator = self._backend.operator
        if operator is not None:  # helper mode: who made this request, for whom (a keyed hash only)
            subject = request.subject and store.vault.lookup_hash(request.subject)
            store.record("assisted", id=draft.queued.id, operator=operator.name, subject=subject)
        self._backend.wake_relay(queued=1)
        return draft.queued
