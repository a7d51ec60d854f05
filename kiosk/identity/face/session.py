"""One liveness check: a random run of two or three actions and, at the same time, the screen flash.

Drive it from the camera's worker thread::

    session = LivenessSession(config.face, random.SystemRandom())
    session.observe(frame_time, frame, landmarks)   # every frame; landmarks None when no face
    session.next_challenge()                        # the action to coach now, or None
    session.screen_colour(time_now)                 # what the frame around the preview shows, or None
    session.state, session.failure, session.result()

The clock starts with the first frame that has a face (the caller passes landmarks only for a
face in the oval). The first action is asked after half a second at rest; each further one only
once the one before it has been seen, so the order is unknown until the moment it is asked. The
decision comes when every action has been seen and the flash has run its course, or at the first
failure. ``result()`` is the evidence sent with the certification.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from kiosk.identity.face.actions import (
    Action,
    ActionSequence,
    ActionThresholds,
    FaceTrack,
    SequenceState,
    pick_actions,
)
from kiosk.identity.face.flash import FlashPlan, FlashScore, follow_score, plan_flash, skin_chroma

if TYPE_CHECKING:
    import random

    import numpy as np

    from kiosk.config import FaceConfig


class LivenessState(Enum):
    WAITING = "waiting"  # no face yet
    CHECKING = "checking"
    PASSED = "passed"
    FAILED = "failed"


class LivenessFailure(Enum):
    ACTION_NOT_SEEN = "action_not_seen"  # the time for the asked action ran out
    WRONG_ACTION = "wrong_action"  # another action than the one asked
    FLASH_NOT_FOLLOWED = "flash_not_followed"  # the face's colour did not follow the screen


def thresholds_from(config: FaceConfig) -> ActionThresholds:
    turn = config.turn_time_s
    return ActionThresholds(
        blink_drop=config.blink_drop,
        turn=config.turn,
        mouth=config.mouth_open,
        nod=config.nod,
        time_limit_s={
            Action.BLINK: config.blink_time_s,
            Action.TURN_LEFT: turn,
            Action.TURN_RIGHT: turn,
            Action.OPEN_MOUTH: config.mouth_time_s,
            Action.NOD: config.nod_time_s,
        },
    )


class LivenessSession:
    def __init__(self, config: FaceConfig, rng: random.Random) -> None:
        self._config = config
        self.flash: FlashPlan = plan_flash(rng, config.flash_colours, config.flash_segment_s)
        self._sequence = ActionSequence(pick_actions(rng), thresholds_from(config))
        self._start: float | None = None
        self._track = FaceTrack()  # the sequence keeps its own, to the same effect
        self._times: list[float] = []
        self._chroma: list[tuple[float, float]] = []
        self._flash_score: FlashScore | None = None
        self.state = LivenessState.WAITING
        self.failure: LivenessFailure | None = None

    def next_challenge(self) -> Action | None:
        """The one action the villager is asked to do now (None before the first and after the last)."""
        return self._sequence.asked if self.state is LivenessState.CHECKING else None

    def screen_colour(self, now: float) -> tuple[int, int, int] | None:
        """The colour (RGB) for the frame around the preview at ``now``; None: the frame's usual colour."""
        if self._start is None or self.state is not LivenessState.CHECKING:
            return None
        return self.flash.colour_at(now - self._start)

    def observe(self, frame_time: float, frame: np.ndarray, landmarks: np.ndarray | None) -> LivenessState:
        if self.state in (LivenessState.PASSED, LivenessState.FAILED):
            return self.state
        if self._start is None:
            if landmarks is None:
                return self.state
            self._start = frame_time
            self.state = LivenessState.CHECKING
        elapsed = frame_time - self._start
        tracked = self._track.follow(landmarks)
        if tracked is not None and elapsed < self.flash.duration_s:
            chroma = skin_chroma(frame, tracked)
            if chroma is not None:
                self._times.append(elapsed)
                self._chroma.append(chroma)
        actions = self._sequence.observe(frame_time, landmarks)
        if actions is SequenceState.TIMED_OUT:
            return self._fail(LivenessFailure.ACTION_NOT_SEEN)
        if actions is SequenceState.WRONG_ACTION:
            return self._fail(LivenessFailure.WRONG_ACTION)
        if self._flash_score is None and elapsed >= self.flash.duration_s:
            self._flash_score = follow_score(self._times, self._chroma, self.flash, self._config.flash_max_lag_s)
            if not self._flash_passed:
                return self._fail(LivenessFailure.FLASH_NOT_FOLLOWED)
        if actions is SequenceState.DONE and self._flash_score is not None:
            self.state = LivenessState.PASSED
        return self.state

    @property
    def _flash_passed(self) -> bool:
        score, config = self._flash_score, self._config
        return (
            score is not None and score.score >= config.flash_min_score and score.strength >= config.flash_min_strength
        )

    def _fail(self, why: LivenessFailure) -> LivenessState:
        self.failure = why
        self.state = LivenessState.FAILED
        return self.state

    def result(self) -> dict:
        """The evidence for the province: what was asked and seen, the flash and its score, which checks passed."""
        start = self._start or 0.0
        sequence = self._sequence
        asked = sequence.revealed
        score = self._flash_score
        checks = {"actions": sequence.state is SequenceState.DONE, "flash": self._flash_passed}
        return {
            "method": "live",
            "passed": self.state is LivenessState.PASSED,
            "failure": self.failure.value if self.failure else None,
            "checks": checks,
            "actions": {
                "asked": [action.value for action in asked],
                "seen_at_s": [round(t - start, 3) for t in sequence.seen_at],
                "time_limits_s": [sequence.time_limit_s(action) for action in asked],
            },
            "flash": {
                "colours": self.flash.hex(),
                "segment_s": self.flash.segment_s,
                "score": round(score.score, 3) if score else None,
                "min_score": self._config.flash_min_score,
                "strength": round(score.strength, 4) if score else None,
                "min_strength": self._config.flash_min_strength,
                "lag_s": round(score.lag_s, 3) if score else None,
                "frames": score.frames if score else len(self._times),
            },
        }


def volunteer_attestation(volunteer: str, attempts: list[dict]) -> dict:
    """Evidence when liveness was attested by the volunteer at the station instead of by the camera.

    ``attempts``: the evidence of the live checks that did not pass, so the province sees them too.
    """
    if not volunteer.strip():
        raise ValueError("the volunteer who attests must be named")
    return {
        "method": "volunteer",
        "passed": True,
        "volunteer": volunteer.strip(),
        "checks": {"volunteer": True},
        "attempts": attempts,
    }
