"""The villager at the kiosk right now: who they are, until the session ends and it is all wiped."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.identity.idnumber import mask, mask_name
from kiosk.voice.lines import Free, phrase

if TYPE_CHECKING:
    from collections.abc import Callable

HELLO = phrase("screen.welcome.hello", "您好，")
ID_NUMBER = phrase("screen.welcome.id_number", "身份证号")


class CheckinMethod(StrEnum):
    CARD = "card"
    FACE = "face"
    VOLUNTEER = "volunteer"  # a volunteer vouches for the villager (helper mode, fixing their request)


@dataclass(frozen=True)
class FaceEvidence:
    """What a certification sends: the live face (a small JPEG) and how liveness was proven."""

    jpeg: bytes
    liveness: dict


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    how: CheckinMethod
    evidence: FaceEvidence | None = field(default=None, repr=False)  # a live face with liveness proven

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id(self) -> str:
        return mask(self.id_number)

    @property
    def greeting(self) -> list[str]:
        """Said aloud at a public station: the hidden part of the name is said as 某, the ID's as hidden."""
        return [HELLO, Free(self.masked_name.replace("*", "某")), "。", ID_NUMBER, self.masked_id, "。"]


class Session:
    def __init__(self) -> None:
        self._person: Person | None = None
        self._listeners: list[Callable[[Person | None], None]] = []

    @property
    def person(self) -> Person | None:
        return self._person

    def subscribe(self, listener: Callable[[Person | None], None]) -> None:
        self._listeners.append(listener)

    def check_in(self, person: Person) -> None:
        self._person = person
        self._notify()

    def clear(self) -> None:
        """Forget the villager: every screen listening wipes what it shows of them."""
        self._person = None
        self._notify()

    def _notify(self) -> None:
        for listener in self._listeners:
            listener(self._person)
