"""Face check-in as a sequence of frames: find the face, pass a liveness challenge, then match.

Runs on the camera's worker thread (it is fed each frame there); the UI is told the progress.
After three failed tries the villager is offered the card or the volunteer instead, never blamed.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np

from kiosk.app.face_progress import FaceState, Progress
from kiosk.app.face_words import COME_CLOSER, GIVE_UP, LOOK_HERE, NOT_RECOGNISED, RECOGNISED
from kiosk.app.session import FaceEvidence
from kiosk.identity.face.liveness import COACHING, Challenge, LivenessCheck, LivenessThresholds, pick_challenge
from kiosk.identity.face.matching import DEFAULT_THRESHOLD, identify, verify
from kiosk.store.face_templates import Enrolled
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.identity.face.analyzer import Face, FaceAnalyzer

MAX_TRIES = 3
# The liveness check's own coaching (the identity layer's words), keyed where the app says them.
CHALLENGES = {challenge: phrase(f"screen.face.{challenge.value}", words) for challenge, words in COACHING.items()}
EVIDENCE_SIDE = 480  # pixels: enough for the province to compare, small enough for a poor network
MIN_FACE_SHARE = 0.18  # of the frame width: closer than about an arm's length


class FaceCheckin:
    def __init__(
        self,
        analyzer: FaceAnalyzer,
        templates: Callable[[], list[Enrolled]],
        on_progress: Callable[[Progress], None],
        expected: Enrolled | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        rng: random.Random | None = None,
        liveness: LivenessThresholds | None = None,
        known: Enrolled | None = None,
    ) -> None:
        """``known``: the person is already checked in (by card) and only their live presence is to be
        proven; matched against ``expected`` when there is a reference, else by the province."""
        self._analyzer = analyzer
        self._templates = templates
        self._on_progress = on_progress
        self._expected = expected
        self._threshold = threshold
        self._rng = rng or random.Random()
        self._liveness = liveness
        self._known = known
        self.tries = 0
        self._check: LivenessCheck | None = None
        self._last: Progress | None = None
        self.done = False

    def on_frame(self, frame: np.ndarray, face: Face | None) -> None:
        if self.done:
            return
        if face is None or face.width < MIN_FACE_SHARE * frame.shape[1]:
            if self._check is None:
                self._tell(Progress(FaceState.LOOKING, LOOK_HERE if face is None else COME_CLOSER))
                return
            self._check.feed(None)
            if self._check.timed_out:
                self._failed()
            return
        if self._check is None:
            self._check = LivenessCheck(pick_challenge(self._rng), self._liveness)
            self._tell(Progress(FaceState.CHALLENGE, CHALLENGES[self._check.challenge]))
        if self._check.feed(face.landmarks):
            self._match(frame, face)
        elif self._check.timed_out:
            self._failed()

    @property
    def challenge(self) -> Challenge | None:
        return self._check.challenge if self._check else None

    def _match(self, frame: np.ndarray, face: Face) -> None:
        probe = self._analyzer.embed(frame, face)
        if self._known is not None and self._expected is None:
            found = self._known  # liveness proven; the province compares the photo with its records
        elif self._expected is not None:
            found = self._expected if verify(probe, _vector(self._expected), self._threshold).matched else None
        else:
            enrolled = {e.subject_hash: e for e in self._templates()}
            subject = identify(probe, {k: _vector(e) for k, e in enrolled.items()}, self._threshold)
            found = enrolled.get(subject) if subject else None
        if found is None:
            self._failed()
            return
        self.done = True
        self._tell(Progress(FaceState.MATCHED, RECOGNISED, found, self._evidence(frame)))

    def _evidence(self, frame: np.ndarray) -> FaceEvidence:
        from kiosk.identity.face.camera import shrink_to_jpeg

        liveness = {"passed": True, "challenge": self._check.challenge.value, "tries": self.tries + 1}
        return FaceEvidence(shrink_to_jpeg(frame, max_side=EVIDENCE_SIDE), liveness)

    def _failed(self) -> None:
        self.tries += 1
        self._check = None
        if self.tries >= MAX_TRIES:
            self.done = True
            self._tell(Progress(FaceState.GAVE_UP, GIVE_UP))
        else:
            self._tell(Progress(FaceState.RETRY, NOT_RECOGNISED))

    def _tell(self, progress: Progress) -> None:
        if progress != self._last:
            self._last = progress
            self._on_progress(progress)


def _vector(enrolled: Enrolled) -> np.ndarray:
    return np.frombuffer(enrolled.template, dtype=np.float32)


def card_reference(analyzer: FaceAnalyzer, decoder, name: str, id_number: str, wlt: bytes) -> Enrolled | None:
    """The face on the villager's own card, as a reference to match (None if it cannot be had)."""
    from kiosk.identity.face.analyzer import embed_card_photo
    from kiosk.identity.face.card_photo import CardPhotoUnavailable

    try:
        vector = embed_card_photo(analyzer, decoder.decode(wlt))
    except CardPhotoUnavailable:
        return None
    return None if vector is None else Enrolled("card", name, id_number, vector.astype(np.float32).tobytes())
