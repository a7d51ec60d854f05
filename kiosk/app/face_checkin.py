"""Face check-in as a sequence of frames: find the face in the oval, prove it live, then match it.

Runs on the camera's worker thread (it is fed each frame there, with the time it was read); the
UI is told the progress. Liveness is one ``LivenessSession`` per try: a random run of two or three
actions and the screen flash at the same time. A failed try is said kindly by what went wrong,
and after ``MAX_TRIES`` the villager is offered the card or the volunteer instead, never blamed.
She is offered them too when no face is found well enough for ``find_face_s``, or when the whole
check-in has taken ``time_limit_s``.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np

from kiosk.app import face_words as words
from kiosk.app.face_progress import FaceState, Progress
from kiosk.app.session import FaceEvidence
from kiosk.identity.face.actions import COACHING
from kiosk.identity.face.matching import identify, verify
from kiosk.identity.face.session import LivenessFailure, LivenessSession, LivenessState
from kiosk.store.face_templates import Enrolled
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.config import FaceConfig
    from kiosk.identity.face.actions import Action
    from kiosk.identity.face.analyzer import Face, FaceAnalyzer
    from kiosk.identity.face.frame_colour import Rgb
    from kiosk.voice.lines import Spoken

MAX_TRIES = 2
RETRY_PAUSE_S = 4.0  # the kind words are heard out before the next try asks anything
LOST_S = 0.7  # a face missing this long is told to come back (the detector misses a frame now and then)
# The actions' coaching (the identity layer's words), keyed where the app says them.
CHALLENGES = {action: phrase(f"screen.face.{action.value}", said) for action, said in COACHING.items()}
EVIDENCE_SIDE = 480  # pixels: enough for the province to compare, small enough for a poor network
MIN_FACE_SHARE = 0.18  # of the frame width: closer than about an arm's length
OVAL_REACH = (0.19, 0.2)  # how far the face's middle may be from the picture's, in shares of its width, height
FAILURE_WORDS = {  # what went wrong, and the tip for the next try
    LivenessFailure.ACTION_NOT_SEEN: (words.ACTION_NOT_SEEN, words.SLOWLY),
    LivenessFailure.WRONG_ACTION: (words.WRONG_ACTION, words.ONLY_THAT_ACTION),
    LivenessFailure.FLASH_NOT_FOLLOWED: (words.FLASH_NOT_FOLLOWED, words.FACE_THE_SCREEN),
}


def placement(face: Face | None, frame: np.ndarray) -> str | None:
    """What to say to put the face well in the oval; None when it is."""
    if face is None:
        return words.LOOK_HERE
    height, width = frame.shape[:2]
    left, top, right, bottom = face.box
    off_x = ((left + right) / 2 / width - 0.5) / OVAL_REACH[0]
    off_y = ((top + bottom) / 2 / height - 0.5) / OVAL_REACH[1]
    if off_x * off_x + off_y * off_y > 1:
        return words.TO_THE_MIDDLE
    if face.width < MIN_FACE_SHARE * width:
        return words.COME_CLOSER
    return None


class FaceCheckin:
    def __init__(
        self,
        analyzer: FaceAnalyzer,
        templates: Callable[[], list[Enrolled]],
        on_progress: Callable[[Progress], None],
        config: FaceConfig,
        rng: random.Random | None = None,
        expected: Enrolled | None = None,
        known: Enrolled | None = None,
    ) -> None:
        """``known``: the person is already checked in (by card) and only their live presence is to be
        proven; matched against ``expected`` when there is a reference, else by the province."""
        self._analyzer = analyzer
        self._templates = templates
        self._on_progress = on_progress
        self._config = config
        self._rng = rng or random.SystemRandom()
        self._expected = expected
        self._known = known
        self.tries = 0
        self.liveness: LivenessSession | None = None  # the current try's check: the scene the camera follows
        self._attempts: list[dict] = []
        self._rest: tuple[np.ndarray, Face] | None = None  # the face at rest, when the first action was asked
        self._photo: bytes | None = None
        self._started: float | None = None
        self._placed_at: float | None = None
        self._looking_since = 0.0
        self._pause_until = 0.0
        self._last: Progress | None = None
        self.done = False

    # The scene for the camera and the screen: what is asked now, and what the frame shows.
    def next_challenge(self) -> Action | None:
        return self.liveness.next_challenge() if self.liveness is not None else None

    def screen_colour(self, now: float) -> Rgb | None:
        return self.liveness.screen_colour(now) if self.liveness is not None else None

    def on_frame(self, t: float, frame: np.ndarray, face: Face | None) -> None:
        if self.done:
            return
        self._started = t if self._started is None else self._started
        advice = placement(face, frame)
        if t - self._started > self._config.time_limit_s:
            self._give_up(self._offer)
            return
        if t < self._pause_until:
            return
        if self.liveness is None:
            self.liveness = LivenessSession(self._config, self._rng)
            self._rest, self._looking_since = None, t
        if advice is None:
            self._placed_at = t
        live = self.liveness
        if live.state is LivenessState.WAITING:
            if t - max(self._looking_since, self._placed_at or t - 1e9) > self._config.find_face_s:
                self._give_up((words.NO_FACE, self._offer))
            elif advice is not None:
                self._tell(Progress(FaceState.LOOKING, advice))
            if advice is not None or self.done:
                return
        state = live.observe(t, frame, face.landmarks if advice is None else None)
        if state is LivenessState.PASSED:
            self._match(t, *(self._rest or (frame, face)))
        elif state is LivenessState.FAILED:
            self._attempts.append(live.result())
            self._failed(t, *FAILURE_WORDS[live.failure])
        else:
            self._coach(t, frame, face, advice)

    def _coach(self, t: float, frame: np.ndarray, face: Face | None, advice: str | None) -> None:
        action = self.liveness.next_challenge()
        asked = action.value if action is not None else None
        if advice is None:
            if action is not None and self._rest is None:
                self._rest = (frame, face)
            said = CHALLENGES[action] if action is not None else words.HOLD_STILL
            self._tell(Progress(FaceState.CHECKING, said, asked))
        elif t - self._placed_at > LOST_S:  # not for a frame the detector missed
            self._tell(Progress(FaceState.CHECKING, advice, asked))

    def _match(self, t: float, frame: np.ndarray, face: Face) -> None:
        self._keep_photo(frame)
        threshold = self._config.match_threshold
        if self._known is not None and self._expected is None:
            found = self._known  # liveness proven; the province compares the photo with its records
        else:
            probe = self._analyzer.embed(frame, face)
            if self._expected is not None:
                found = self._expected if verify(probe, _vector(self._expected), threshold).matched else None
            else:
                enrolled = {e.subject_hash: e for e in self._templates()}
                subject = identify(probe, {k: _vector(e) for k, e in enrolled.items()}, threshold)
                found = enrolled.get(subject) if subject else None
        if found is None:
            self._failed(t, words.NOT_RECOGNISED, words.TRY_AGAIN)
            return
        self.done = True
        evidence = FaceEvidence(self._photo, self.liveness.result())
        self._tell(Progress(FaceState.MATCHED, words.RECOGNISED, enrolled=found, evidence=evidence))

    def _keep_photo(self, frame: np.ndarray) -> None:
        from kiosk.identity.face.camera import shrink_to_jpeg

        self._photo = shrink_to_jpeg(frame, max_side=EVIDENCE_SIDE)

    @property
    def _offer(self) -> str:
        """Proving a card holder's presence, the card is in hand already: only the volunteer can help."""
        return words.ASK_VOLUNTEER if self._known is not None else words.GIVE_UP

    def _failed(self, t: float, what: str, tip: str) -> None:
        if self._rest is not None and self._photo is None:
            self._keep_photo(self._rest[0])
        self.tries += 1
        self.liveness = None
        if self.tries >= MAX_TRIES:
            self._give_up((what, self._offer))
            return
        self._pause_until = t + RETRY_PAUSE_S
        self._tell(Progress(FaceState.RETRY, (what, tip)))

    def _give_up(self, said: Spoken) -> None:
        self.done = True
        self.liveness = None
        self._tell(Progress(FaceState.GAVE_UP, said, attempts=tuple(self._attempts), photo=self._photo))

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
