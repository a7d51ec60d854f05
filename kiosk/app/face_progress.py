"""What a face check-in tells the screen as it goes (light: the check-in screens import it before any model)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.session import FaceEvidence
    from kiosk.store.face_templates import Enrolled


class FaceState(StrEnum):
    LOOKING = "looking"
    CHALLENGE = "challenge"
    MATCHED = "matched"
    RETRY = "retry"
    GAVE_UP = "gave_up"  # the villager is offered the card or the volunteer


@dataclass(frozen=True)
class Progress:
    state: FaceState
    words: str
    enrolled: Enrolled | None = None
    evidence: FaceEvidence | None = None
