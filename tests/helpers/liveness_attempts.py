"""Generated liveness attempts, by live villagers and by attackers, for the tests and bench/face.py.

Everything random here is an assumption about people, rooms and cameras, stated where it is drawn;
the checks under test never see it. Landmarks start from the real model's landmarks on a real
photo; their noise is set so each measure jitters at least as much as it does on real photos
(bench/face.py measures that). Flash frames are a real photo lit through ``LitCamera``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kiosk.identity.face.actions import Action, ActionSequence, ActionThresholds, SequenceState, pick_actions
from kiosk.identity.face.demo_camera import LitCamera, Optics
from kiosk.identity.face.flash import FlashScore, follow_score, plan_flash, skin_chroma

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.config import FaceConfig

LANDMARK_NOISE_PX = 0.7  # per point (eye span about 45 px): every measure jitters at least as on real photos
ALL_ACTIONS = list(Action)


# --- landmarks -------------------------------------------------------------------------------


def _axes(rest: np.ndarray) -> tuple[float, float]:
    span = float(np.linalg.norm(rest[42:48].mean(axis=0) - rest[36:42].mean(axis=0)))
    height = float((rest[48] + rest[54])[1] / 2 - (rest[36:48].mean(axis=0))[1])
    return span, height


def posed(rest: np.ndarray, eyes: float = 1.0, turn: float = 0.0, mouth: float = 0.0, nod: float = 0.0) -> np.ndarray:
    """``rest`` with the eyes ``eyes`` open, the nose ``turn`` spans to the image's right, the lower lip
    ``mouth`` face heights down and the nose tip ``nod`` face heights down."""
    out = rest.astype(float).copy()
    span, height = _axes(rest)
    for lids, centre in (((37, 38, 40, 41), (36, 39)), ((43, 44, 46, 47), (42, 45))):
        line = out[list(centre), 1].mean()
        out[list(lids), 1] = line + (out[list(lids), 1] - line) * eyes
    # A turning head moves the nose most, the mouth and chin less, the bridge of the nose in between.
    for points, share in ((range(30, 36), 1.0), ((29,), 0.8), ((28,), 0.6), ((27,), 0.4), (range(48, 68), 0.5)):
        out[list(points), 0] += turn * span * share
    out[list(range(6, 11)), 0] += turn * span * 0.3
    for points, share in ((range(30, 36), 1.0), ((29,), 0.7), ((28,), 0.4)):
        out[list(points), 1] += nod * height * share
    for points, share in (((65, 66, 67), 1.0), (range(55, 60), 1.0), (range(6, 11), 0.9), ((5, 11), 0.5)):
        out[list(points), 1] += mouth * height * share
    return out


@dataclass(frozen=True)
class Gesture:
    start: float
    duration: float
    action: Action
    size: float

    def pose(self, t: float) -> dict:
        into = (t - self.start) / self.duration
        if not 0 <= into <= 1:
            return {}
        bump = float(np.sin(np.pi * into))
        if self.action is Action.BLINK:
            return {"eyes": 1 - (1 - self.size) * min(1.0, 2 * bump)}
        key = {Action.TURN_LEFT: "turn", Action.TURN_RIGHT: "turn", Action.OPEN_MOUTH: "mouth", Action.NOD: "nod"}
        sign = -1 if self.action is Action.TURN_RIGHT else 1
        return {key[self.action]: sign * self.size * bump}


def gesture_size(rng: random.Random, action: Action) -> float:
    """How big a cooperative villager makes each action: from just over the default threshold to well over."""
    return {
        Action.BLINK: rng.uniform(0.0, 0.5),  # the eyelid gap left at the bottom of the blink
        Action.TURN_LEFT: rng.uniform(0.18, 0.4),
        Action.TURN_RIGHT: rng.uniform(0.18, 0.4),
        Action.OPEN_MOUTH: rng.uniform(0.18, 0.45),
        Action.NOD: rng.uniform(0.09, 0.2),
    }[action]


def gesture_time(rng: random.Random, action: Action) -> float:
    return rng.uniform(0.15, 0.4) if action is Action.BLINK else rng.uniform(0.5, 1.4)


class Face:
    """Landmarks of one face over time: gestures, natural blinks, a little sway and detector noise."""

    def __init__(self, rest: np.ndarray, rng: random.Random, still: bool = False) -> None:
        self.rest = rest
        self.rng = rng
        self.noise = np.random.default_rng(rng.randrange(2**32))
        self.gestures: list[Gesture] = []
        self._still = still
        self._sway = rng.uniform(0, 2 * np.pi)
        self._blinks = [] if still else self._natural_blinks()

    def _natural_blinks(self) -> list[Gesture]:
        blinks, t = [], self.rng.uniform(0.5, 4.0)
        while t < 40:
            blinks.append(Gesture(t, self.rng.uniform(0.1, 0.3), Action.BLINK, self.rng.uniform(0.0, 0.3)))
            t += self.rng.uniform(2.0, 6.0)
        return blinks

    def at(self, t: float, tilt: tuple[float, float] = (1.0, 1.0)) -> np.ndarray:
        pose: dict = {}
        for gesture in self.gestures + self._blinks:
            for key, value in gesture.pose(t).items():
                pose[key] = min(pose.get(key, 1.0), value) if key == "eyes" else pose.get(key, 0.0) + value
        if not self._still:
            pose["turn"] = pose.get("turn", 0.0) + 0.02 * np.sin(0.7 * t + self._sway)  # nobody holds quite still
        points = posed(self.rest, **pose)
        centre = points.mean(axis=0)
        points = centre + (points - centre) * np.array(tilt)  # a photo tilted: one direction foreshortened
        return points + self.noise.normal(0, LANDMARK_NOISE_PX, points.shape)


def _drive(
    sequence: ActionSequence, face: Face, fps: float, act: Callable[[float, Action | None], None], tilt=None
) -> SequenceState:
    t, drop = 0.0, face.rng.uniform(0.0, 0.08)  # frames the detector misses
    while not sequence.finished and t < 40:
        landmarks = None if face.rng.random() < drop else face.at(t, tilt(t) if tilt else (1.0, 1.0))
        sequence.observe(t, landmarks)
        act(t, sequence.asked)
        t += 1 / fps
    return sequence.state


def action_attempt(kind: str, seed: int, rest: np.ndarray, thresholds: ActionThresholds | None = None) -> bool:
    """Whether one attempt passes the action sequence. ``kind``: live, photo, replay or loop."""
    rng = random.Random(seed)
    sequence = ActionSequence(pick_actions(rng), thresholds)
    face = Face(rest, rng, still=kind == "photo")
    fps = rng.uniform(12, 30)  # what the camera and the detector manage
    if kind == "live":
        reaction = rng.uniform(0.5, 2.0)  # after the action is asked (the spoken prompt is short)
        seen: list[Action] = []

        def act(t: float, asked: Action | None) -> None:
            if asked is not None and asked not in seen:
                seen.append(asked)
                face.gestures.append(Gesture(t + reaction, gesture_time(rng, asked), asked, gesture_size(rng, asked)))

        return _drive(sequence, face, fps, act) is SequenceState.DONE
    if kind == "photo":  # held up by hand: tilted back and forth by up to 35 degrees either way
        axis, speed = rng.randrange(2), rng.uniform(0.5, 2.0)

        def tilt(t: float) -> tuple[float, float]:
            squeeze = float(np.cos(np.radians(35 * np.sin(speed * t))))
            return (squeeze, 1.0) if axis == 0 else (1.0, squeeze)

        return _drive(sequence, face, fps, lambda t, asked: None, tilt) is SequenceState.DONE
    # A recording: an earlier certification's own sequence at its own times, or every action in a loop.
    if kind == "replay":
        recorded = pick_actions(random.Random(seed + 1_000_003))
    else:
        recorded = [rng.choice(ALL_ACTIONS) for _ in range(20)]
    t = rng.uniform(0.5, 2.0)
    for action in recorded:
        t += rng.uniform(0.5, 2.0)
        face.gestures.append(Gesture(t, gesture_time(rng, action), action, gesture_size(rng, action)))
        t += 1.4
    return _drive(sequence, face, fps, lambda t, asked: None) is SequenceState.DONE


# --- the flash -------------------------------------------------------------------------------


def room_and_camera(rng: random.Random) -> Optics:
    """A village room and a cheap camera."""
    return Optics(
        reflection=rng.uniform(0.04, 0.2),  # the frame's light on the face: dim room to bright frame
        lag_s=rng.uniform(0.05, 0.3),  # screen paint, camera exposure, USB and decoding
        noise=rng.uniform(2.0, 6.0),
        white_balance_s=rng.choice([0.0, rng.uniform(0.3, 3.0)]),  # fixed, or auto at its own speed
        flicker=rng.uniform(0.0, 0.02),
    )


def flash_attempt(
    kind: str, seed: int, photo: np.ndarray, landmarks: np.ndarray, mask: np.ndarray, config: FaceConfig
) -> FlashScore:
    """One flash check. ``kind``: live (the face reflects today's flash), replay (a screen plays an
    earlier certification: the face in it reflects that day's flash, today's only glints off the
    screen's glass), photo (a photo on a screen: the glint only), printed (a paper photo: it
    reflects today's flash as skin does). ``mask``: where the screen's light falls on ``photo``."""
    rng = random.Random(seed)
    plan = plan_flash(rng, config.flash_colours, config.flash_segment_s)
    earlier = plan_flash(random.Random(seed + 7_000_001), config.flash_colours, config.flash_segment_s)
    optics = room_and_camera(rng)
    camera = LitCamera(optics, mask, np.random.default_rng(seed))
    glare = rng.uniform(0.0, 0.1) * optics.reflection  # a screen's glass returns a little of the light
    earlier_lag, offset = rng.uniform(0.05, 0.3), rng.uniform(-0.2, 0.2)
    fps = rng.uniform(12, 30)
    shift = np.random.default_rng(seed + 1)
    times, chroma = [], []
    t = rng.uniform(0, 1 / fps)
    while t < plan.duration_s:
        today = plan.colour_at(t - optics.lag_s)
        lights = {
            "live": [(today, optics.reflection)],
            "printed": [(today, optics.reflection * rng.uniform(0.8, 1.2))],
            "replay": [(earlier.colour_at(t + offset - earlier_lag), optics.reflection), (today, glare)],
            "photo": [(today, glare)],
        }[kind]
        frame = camera.record(t, photo, lights)
        found = skin_chroma(frame, landmarks + shift.normal(0, 1.0, 2))  # the face moves a little
        if found is not None:
            times.append(t)
            chroma.append(found)
        t += 1 / fps
    return follow_score(times, chroma, plan, config.flash_max_lag_s)
