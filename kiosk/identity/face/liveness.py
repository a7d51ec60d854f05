"""Liveness from landmarks: a random challenge (blink, turn left, turn right) that a photo cannot do.

Blink: the eye aspect ratio (Soukupova & Cech, 2016) drops below ``closed`` and comes back
above ``open`` within the time allowed. Turn: the nose tip moves sideways, relative to the
eyes' span, by more than ``turn`` from where it started. Left and right are the villager's own
(the preview is mirrored, the camera is not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from kiosk.identity.face.actions import eye_aspect_ratio, yaw

if TYPE_CHECKING:
    import numpy as np


class Challenge(Enum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"


COACHING = {
    Challenge.BLINK: "请看着屏幕，慢慢眨一下眼睛。",
    Challenge.TURN_LEFT: "请把头慢慢向左转一点。",
    Challenge.TURN_RIGHT: "请把头慢慢向右转一点。",
}


@dataclass(frozen=True)
class LivenessThresholds:
    closed: float = 0.19
    open: float = 0.24
    turn: float = 0.18
    max_frames: int = 150  # about ten seconds of preview


def pick_challenge(rng: random.Random | None = None) -> Challenge:
    return (rng or random.Random()).choice(list(Challenge))


class LivenessCheck:
    """Feed landmarks frame by frame; ``passed`` turns true once the challenge is met."""

    def __init__(self, challenge: Challenge, thresholds: LivenessThresholds | None = None) -> None:
        self.challenge = challenge
        self._t = thresholds or LivenessThresholds()
        self._frames = 0
        self._eyes_were_open = False
        self._eyes_closed = False
        self._start_yaw: float | None = None
        self.passed = False

    @property
    def timed_out(self) -> bool:
        return not self.passed and self._frames >= self._t.max_frames

    def feed(self, landmarks: np.ndarray | None) -> bool:
        self._frames += 1
        if self.passed or landmarks is None or self.timed_out:
            return self.passed
        if self.challenge is Challenge.BLINK:
            ear = eye_aspect_ratio(landmarks)
            if ear >= self._t.open:
                if self._eyes_closed:
                    self.passed = True
                self._eyes_were_open = True
            elif ear <= self._t.closed and self._eyes_were_open:
                self._eyes_closed = True
        else:
            current = yaw(landmarks)
            if self._start_yaw is None:
                self._start_yaw = current
            # The camera sees the villager's left turn as the nose moving to the image's right.
            moved = current - self._start_yaw
            wanted = moved if self.challenge is Challenge.TURN_LEFT else -moved
            self.passed = wanted >= self._t.turn
        return self.passed
