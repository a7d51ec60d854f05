"""What a face check-in tells the screen as it goes (light: the check-in screens import it before any model)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.session import FaceEvidence
    from kiosk.store.face_templates import Enrolled
    from kiosk.voice.lines import Spoken


class FaceState(StrEnum):
    LOOKING = "looking"  # no face well placed in the oval yet
    CHECKING = "checking"  # liveness: holding still under the flash, or doing the action asked
    MATCHED = "matched"
    RETRY = "retry"  # a try failed; the next one starts after a pause
    GAVE_UP = "gave_up"  # the villager is offered the card or the volunteer


@dataclass(frozen=True)
class Progress:
    state: FaceState
    words: Spoken  # what to show and say
    action: str | None = None  # the action asked now (an ``Action`` value), for its animated picture
    enrolled: Enrolled | None = None
    evidence: FaceEvidence | None = None
    attempts: tuple[dict, ...] = ()  # with GAVE_UP: the evidence of each failed live check, for an attestation
    photo: bytes | None = None  # with GAVE_UP: the face at rest (JPEG), if one was seen
