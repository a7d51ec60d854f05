"""Spoken actions judged from the 68 landmarks, asked in a random order that is revealed one at a time.

Every measure is taken against the villager's own face at rest (the median of the first frames),
so narrow eyes, a smile or a head held a little to one side do not count:

- blink: the eyelid gap falls below ``blink_drop`` of its resting value and comes back;
- turn: the nose tip moves sideways, in eye spans, by ``turn`` (left and right are the
  villager's own: the preview is mirrored, the camera is not);
- open mouth: the inner lips part by ``mouth``;
- nod: the nose tip drops towards the mouth by ``nod``.

Vertical gaps are measured against the eyes-to-mouth height and sideways ones against the eye
span, so each is a ratio of two lengths that a flat photo shrinks together when it is tilted:
tilting or turning a photo of a face neither blinks, opens its mouth, nods nor turns its head
(``bench/face.py`` measures this, and each measure's jitter, on real photos).

A gesture other than the one asked (blinks aside: nobody can hold them back) fails the sequence,
so a video that performs every action in turn does not pass. A gesture counts only when it starts
from rest: a head still turned from the previous action is not a new turn.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import random

LEFT_EYE = slice(36, 42)
RIGHT_EYE = slice(42, 48)
NOSE_TIP = 30
MOUTH_CORNERS = (48, 54)
INNER_LIPS = np.array([(61, 67), (62, 66), (63, 65)])
EYELIDS = np.array([(37, 41), (38, 40), (43, 47), (44, 46)])
BASELINE_S = 0.5  # the face at rest, before the first action is asked
SMOOTHING_FRAMES = 3
JUMP_FRAMES = 4


class Action(Enum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    OPEN_MOUTH = "open_mouth"
    NOD = "nod"


COACHING = {
    Action.BLINK: "请眨一下眼睛。",
    Action.TURN_LEFT: "请把头向左转。",
    Action.TURN_RIGHT: "请把头向右转。",
    Action.OPEN_MOUTH: "请张一下嘴。",
    Action.NOD: "请点一下头。",
}


@dataclass(frozen=True)
class ActionThresholds:
    blink_drop: float = 0.7
    turn: float = 0.15
    mouth: float = 0.15
    nod: float = 0.07
    time_limit_s: dict[Action, float] = field(
        default_factory=lambda: {
            Action.BLINK: 5.0,
            Action.TURN_LEFT: 6.0,
            Action.TURN_RIGHT: 6.0,
            Action.OPEN_MOUTH: 5.0,
            Action.NOD: 6.0,
        }
    )


def eye_aspect_ratio(landmarks: np.ndarray) -> float:
    def one(eye: np.ndarray) -> float:
        vertical = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        return float(vertical / (2 * np.linalg.norm(eye[0] - eye[3]) + 1e-9))

    return (one(landmarks[LEFT_EYE]) + one(landmarks[RIGHT_EYE])) / 2


def _axes(landmarks: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The eyes' midpoint, the face's downward direction, the eye span and the eyes-to-mouth height."""
    left, right = landmarks[LEFT_EYE].mean(axis=0), landmarks[RIGHT_EYE].mean(axis=0)
    span = float(np.linalg.norm(right - left)) + 1e-9
    across = (right - left) / span
    down = np.array([-across[1], across[0]])
    eyes = (left + right) / 2
    mouth = (landmarks[MOUTH_CORNERS[0]] + landmarks[MOUTH_CORNERS[1]]) / 2
    return eyes, down, span, float(np.dot(mouth - eyes, down)) + 1e-9


def yaw(landmarks: np.ndarray) -> float:
    """Nose tip offset from the eyes' midpoint along the eye line, in eye spans: negative = towards image left."""
    return measures(landmarks)[1]


def measures(landmarks: np.ndarray) -> tuple[float, float, float, float]:
    """Eye opening, yaw, mouth opening and nose drop; the nose along the eye line and across it, so a
    head leaning sideways neither turns nor nods."""
    eyes, down, span, height = _axes(landmarks)
    across = np.array([down[1], -down[0]])
    nose = landmarks[NOSE_TIP] - eyes
    eye_gaps = np.linalg.norm(landmarks[EYELIDS[:, 0]] - landmarks[EYELIDS[:, 1]], axis=1)
    lip_gaps = np.linalg.norm(landmarks[INNER_LIPS[:, 0]] - landmarks[INNER_LIPS[:, 1]], axis=1)
    return (
        float(eye_gaps.mean() / height),
        float(np.dot(nose, across) / span),
        float(lip_gaps.mean() / height),
        float(np.dot(nose, down) / height),
    )


class FaceTrack:
    """Drops a frame whose face jumps: the detector now and then takes something else for a face, and
    its landmarks are then noise. A head does not move an eye span between two frames; if the face
    stays at its new place for a few frames, it has moved there and is followed."""

    def __init__(self) -> None:
        self._last: tuple[np.ndarray, float] | None = None  # eyes' midpoint and span
        self._missed = 0

    def follow(self, landmarks: np.ndarray | None) -> np.ndarray | None:
        if landmarks is None:
            return None
        eyes, _down, span, _height = _axes(landmarks)
        if self._last is not None and self._missed < JUMP_FRAMES:
            last_eyes, last_span = self._last
            if np.linalg.norm(eyes - last_eyes) > last_span or not 0.7 < span / last_span < 1.4:
                self._missed += 1
                return None
        self._last, self._missed = (eyes, span), 0
        return landmarks


class GestureWatcher:
    """Reports each gesture once, when it is made from rest; rest is the face's own baseline."""

    def __init__(self, baseline: tuple[float, float, float, float], thresholds: ActionThresholds) -> None:
        self._rest = baseline
        self._t = thresholds
        self._armed = dict.fromkeys(Action, False)
        self._eyes_closed = False
        self._recent: deque[tuple[float, float, float]] = deque(maxlen=SMOOTHING_FRAMES)

    def see(self, landmarks: np.ndarray) -> list[Action]:
        ear, turned, mouth, nod = (now - rest for now, rest in zip(measures(landmarks), self._rest, strict=True))
        # The camera sees the villager's left turn as the nose moving to the image's right.
        # Turns, mouths and nods take half a second or more: three frames' mean is steadier than one.
        self._recent.append((turned, mouth, nod))
        turned, mouth, nod = np.mean(self._recent, axis=0)
        levels = {
            Action.TURN_LEFT: turned / self._t.turn,
            Action.TURN_RIGHT: -turned / self._t.turn,
            Action.OPEN_MOUTH: mouth / self._t.mouth,
            Action.NOD: nod / self._t.nod,
        }
        seen = []
        for action, level in levels.items():
            if level < 0.5:
                self._armed[action] = True
            elif level >= 1 and self._armed[action]:
                self._armed[action] = False
                seen.append(action)
        openness = 1 + ear / self._rest[0]
        if openness <= self._t.blink_drop:
            self._eyes_closed = True
        elif openness >= (1 + self._t.blink_drop) / 2 and self._eyes_closed:
            self._eyes_closed = False
            seen.append(Action.BLINK)
        return seen


class SequenceState(Enum):
    RESTING = "resting"  # learning the face at rest
    ASKING = "asking"
    DONE = "done"
    TIMED_OUT = "timed_out"
    WRONG_ACTION = "wrong_action"


def pick_actions(rng: random.Random) -> list[Action]:
    return rng.sample(list(Action), rng.choice((2, 3)))


class ActionSequence:
    """Feed landmarks with their frame times; ``asked`` is the one action the villager may know now."""

    def __init__(self, actions: list[Action], thresholds: ActionThresholds | None = None) -> None:
        self._actions = list(actions)
        self._t = thresholds or ActionThresholds()
        self._rest: list[tuple[float, float, float, float]] = []
        self._started: float | None = None
        self._watcher: GestureWatcher | None = None
        self._track = FaceTrack()
        self.asked_at = 0.0  # frame time at which the current action was asked
        self.seen_at: list[float] = []  # frame time at which each asked action was seen
        self.wrong: Action | None = None
        self.state = SequenceState.RESTING

    @property
    def asked(self) -> Action | None:
        return self._actions[len(self.seen_at)] if self.state is SequenceState.ASKING else None

    @property
    def revealed(self) -> list[Action]:
        """The actions asked so far: never more than the villager has been told."""
        told = len(self.seen_at) + (self.state not in (SequenceState.RESTING, SequenceState.DONE))
        return self._actions[:told]

    @property
    def finished(self) -> bool:
        return self.state not in (SequenceState.RESTING, SequenceState.ASKING)

    def time_limit_s(self, action: Action) -> float:
        return self._t.time_limit_s[action]

    def observe(self, t: float, landmarks: np.ndarray | None) -> SequenceState:
        if self.finished:
            return self.state
        landmarks = self._track.follow(landmarks)
        if self.state is SequenceState.RESTING:
            self._rest_on(t, landmarks)
            return self.state
        asked = self.asked
        if landmarks is not None:
            for action in self._watcher.see(landmarks):
                if action is asked:
                    self._next(t)
                    break
                if action is not Action.BLINK:
                    self.wrong = action
                    self.state = SequenceState.WRONG_ACTION
                    return self.state
        if self.state is SequenceState.ASKING and t - self.asked_at > self._t.time_limit_s[asked]:
            self.state = SequenceState.TIMED_OUT
        return self.state

    def _rest_on(self, t: float, landmarks: np.ndarray | None) -> None:
        if landmarks is None:
            return
        self._started = t if self._started is None else self._started
        self._rest.append(measures(landmarks))
        if t - self._started >= BASELINE_S and len(self._rest) >= 3:
            baseline = tuple(statistics.median(values) for values in zip(*self._rest, strict=True))
            self._watcher = GestureWatcher(baseline, self._t)
            self.state = SequenceState.ASKING
            self.asked_at = t

    def _next(self, t: float) -> None:
        self.seen_at.append(t)
        self.asked_at = t
        if len(self.seen_at) == len(self._actions):
            self.state = SequenceState.DONE
