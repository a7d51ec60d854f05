"""The demo camera: a simulated villager who does the actions asked, lit by the kiosk's screen.

It stands behind the same ``Camera`` interface as the real one. What it needs from the kiosk is
the ``Scene``: the action being asked and the colour on the screen at a moment, both of which a
``LivenessSession`` answers (or the screen itself, if the caller records what it painted). Call
``follow(scene)`` for each new check. With an ``Approach`` the villager first walks up to the
kiosk: the face starts too small and off centre and comes closer, as people do when asked to.
The light is physical enough to test the flash analysis:
the screen adds its colour to the room's light on the face (not on the background, which is
far), the camera sees it ``lag_s`` late, balances white over the whole frame as real cameras do,
and adds sensor noise.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import cv2
import numpy as np

from kiosk.identity.face.actions import Action
from kiosk.identity.face.camera import CameraUnavailable
from kiosk.identity.face.frame_colour import NEUTRAL, Rgb
from kiosk.identity.face.puppet import Pose, Puppet

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

NOISE_MARGIN = 32


class Scene(Protocol):
    def next_challenge(self) -> Action | None: ...

    def screen_colour(self, now: float) -> Rgb | None: ...


@dataclass(frozen=True)
class Optics:
    reflection: float = 0.12  # light from the screen's frame on the face, as a share of the room's light
    lag_s: float = 0.12  # from the screen changing to the camera's frame showing it
    noise: float = 3.0  # sensor noise, grey levels
    white_balance_s: float = 1.0  # how fast the camera's auto white balance follows (0: fixed)
    flicker: float = 0.01  # the room light's brightness wobble


def _linear(rgb: Rgb | None) -> np.ndarray:
    c = np.array(rgb or NEUTRAL, np.float32) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)[::-1]  # as B, G, R


class LitCamera:
    """Turns an image of the face under room light into what the camera records under the screen's light."""

    def __init__(self, optics: Optics, face_mask: np.ndarray, rng: np.random.Generator) -> None:
        self.optics = optics
        self._mask = cv2.merge([np.clip(face_mask * 255, 0, 255).astype(np.uint8)] * 3)
        self._levels = np.linspace(0, 1, 256, dtype=np.float32)[:, None]
        self._rng = rng
        self._noise: np.ndarray | None = None
        self._balance = np.ones(3, np.float32)
        self._cast: np.ndarray | None = None
        self._last: float | None = None

    def record(self, now: float, image: np.ndarray, lights: Sequence[tuple[Rgb | None, float]]) -> np.ndarray:
        """``lights``: colours lighting the face and their strength against the room's light."""
        added = sum((strength * (_linear(rgb) - _linear(None)) for rgb, strength in lights), np.zeros(3, np.float32))
        room = 1 + self.optics.flicker * self._rng.standard_normal()
        # Light adds in linear terms; the image is gamma-coded. One gain per level of the mask, looked up.
        gains = (room * (1 + self._levels * added) ** (1 / 2.2)).astype(np.float32)
        seen = image.astype(np.float32) * cv2.LUT(self._mask, gains.reshape(1, 256, 3))
        self._white_balance(now, seen)
        seen = cv2.multiply(seen, (*self._balance.tolist(), 0.0))  # numpy is slow over 3 channels
        seen += self._sensor_noise(seen.shape)
        return np.clip(seen, 0, 255).astype(np.uint8)

    def _sensor_noise(self, shape: tuple[int, ...]) -> np.ndarray:
        """A window at a random place in one larger field of noise: fresh noise for every pixel of
        every frame would cost more than all the rest."""
        height, width = shape[:2]
        if (
            self._noise is None
            or self._noise.shape[0] != height + NOISE_MARGIN
            or self._noise.shape[1] != width + NOISE_MARGIN
        ):
            field = self._rng.standard_normal(
                (height + NOISE_MARGIN, width + NOISE_MARGIN, *shape[2:]), dtype=np.float32
            )
            self._noise = field * np.float32(self.optics.noise)
        top, left = self._rng.integers(NOISE_MARGIN, size=2)
        return self._noise[top : top + height, left : left + width]

    def _white_balance(self, now: float, seen: np.ndarray) -> None:
        if not self.optics.white_balance_s:
            return
        means = seen[::8, ::8].reshape(-1, 3).mean(axis=0)
        cast = means / max(float(means.mean()), 1.0)
        if self._cast is None:
            self._cast = cast  # the scene's own colour is kept; only changes are balanced away
        step = 1.0 if self._last is None else min(1.0, (now - self._last) / self.optics.white_balance_s)
        self._balance += (self._cast / np.maximum(cast, 1e-3) - self._balance) * step
        self._last = now


GESTURES: dict[Action, tuple[float, Callable[[float], Pose]]] = {
    # duration in seconds, and the pose at a share 0..1 of it
    Action.BLINK: (0.4, lambda s: Pose(eyes=max(0.0, 1 - 2.5 * np.sin(np.pi * s)))),
    Action.TURN_LEFT: (1.2, lambda s: Pose(turn=0.55 * np.sin(np.pi * s))),
    Action.TURN_RIGHT: (1.2, lambda s: Pose(turn=-0.55 * np.sin(np.pi * s))),
    Action.OPEN_MOUTH: (1.0, lambda s: Pose(mouth=0.3 * np.sin(np.pi * s))),
    Action.NOD: (1.0, lambda s: Pose(nod=0.3 * np.sin(np.pi * s))),
}


class Performer:
    """A cooperative villager: does each action asked after a moment's thought, then rests."""

    def __init__(self, reaction_s: float = 0.8) -> None:
        self.reaction_s = reaction_s
        self._doing: Action | None = None
        self._since = 0.0

    def pose(self, now: float, asked: Action | None) -> Pose:
        if asked is not self._doing:
            self._doing, self._since = asked, now
        if asked is None:
            return Pose()
        duration, shape = GESTURES[asked]
        into = (now - self._since - self.reaction_s) / duration
        return shape(into) if 0 <= into <= 1 else Pose()


def face_mask(shape: tuple[int, ...], landmarks: np.ndarray) -> np.ndarray:
    """Where the screen's light falls: the face (the screen is close), fading out at its edge."""
    mask = np.zeros(shape[:2], np.float32)
    left, right = landmarks[:, 0].min(), landmarks[:, 0].max()
    top, bottom = landmarks[:, 1].min(), landmarks[:, 1].max()
    centre = (int((left + right) / 2), int((top + bottom) / 2 - 0.1 * (bottom - top)))
    cv2.ellipse(mask, centre, (int(0.6 * (right - left)), int(0.75 * (bottom - top))), 0, 0, 360, 1.0, -1)
    return cv2.GaussianBlur(mask, (0, 0), max(2.0, 0.08 * (right - left)))


@dataclass(frozen=True)
class Approach:
    """The villager walks up: over ``seconds`` the face grows from ``far`` to ``near`` times its size in
    the photo, moving towards the middle of the picture as far as the photo reaches."""

    seconds: float = 2.5
    far: float = 1.0
    near: float = 1.5

    def scale(self, elapsed: float) -> float:
        into = min(1.0, max(0.0, elapsed / self.seconds)) if self.seconds else 1.0
        return self.far + (self.near - self.far) * into * into * (3 - 2 * into)  # eased: no jolt at either end


def zoomed(image: np.ndarray, centre: np.ndarray, scale: float) -> np.ndarray:
    """``image`` seen ``scale`` times closer around ``centre``, which moves towards the middle without
    ever showing past the photo's edge."""
    if scale == 1.0:
        return image
    size = np.array(image.shape[1::-1], float)
    lowest, highest = size - scale * (size - centre), scale * centre
    target = np.clip(size / 2, np.minimum(lowest, highest), np.maximum(lowest, highest))
    matrix = np.array([[scale, 0, target[0] - scale * centre[0]], [0, scale, target[1] - scale * centre[1]]])
    return cv2.warpAffine(image, matrix, image.shape[1::-1], flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


class DemoLiveCamera:
    """Plays a live villager from one photo: ``follow`` a scene and it lights up and acts as asked."""

    def __init__(
        self,
        photo: Path | np.ndarray,
        landmarks: np.ndarray,
        optics: Optics | None = None,
        performer: Performer | None = None,
        fps: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        seed: int | None = None,
        approach: Approach | None = None,
    ) -> None:
        image = cv2.imread(str(photo)) if isinstance(photo, Path) else photo
        if image is None:
            raise CameraUnavailable(f"读不出图片：{photo}")
        self._puppet = Puppet(image, landmarks)
        self._camera = LitCamera(optics or Optics(), face_mask(image.shape, landmarks), np.random.default_rng(seed))
        self._performer = performer or Performer()
        self._rng = random.Random(seed)
        self._scene: Scene | None = None
        self._clock = clock
        self._delay = 1 / fps if fps else 0.0
        self._next_blink = 0.0
        self._approach = approach
        self._face_centre = landmarks.mean(axis=0)
        self._first: float | None = None

    @classmethod
    def of_photo(cls, photo: Path, analyzer, **options) -> DemoLiveCamera:
        """The camera for a photo file, its face found by ``analyzer`` (a ``FaceAnalyzer``)."""
        image = cv2.imread(str(photo))
        face = analyzer.detect(image) if image is not None else None
        if face is None:
            raise CameraUnavailable(f"图片里找不到人脸：{photo}")
        return cls(image, face.landmarks, **options)

    @property
    def photo_and_face(self) -> tuple[np.ndarray, np.ndarray]:
        """The photo and its landmarks: another camera of the same villager is made from them at once."""
        return self._puppet.photo, self._puppet.landmarks

    def follow(self, scene: Scene | None) -> None:
        self._scene = scene

    def read(self) -> np.ndarray | None:
        if self._delay:
            time.sleep(self._delay)
        now = self._clock()
        asked = self._scene.next_challenge() if self._scene else None
        pose = self._performer.pose(now, asked)
        if asked is not Action.BLINK and self._blinks_now(now):
            pose = Pose(pose.turn, pose.nod, 0.1, pose.mouth)  # people blink now and then, asked or not
        shown = self._scene.screen_colour(now - self._camera.optics.lag_s) if self._scene else None
        frame = self._camera.record(now, self._puppet.render(pose), [(shown, self._camera.optics.reflection)])
        if self._approach is None:
            return frame
        self._first = now if self._first is None else self._first
        return zoomed(frame, self._face_centre, self._approach.scale(now - self._first))

    def _blinks_now(self, now: float) -> bool:
        if now >= self._next_blink + 0.15:
            self._next_blink = now + self._rng.uniform(2.0, 6.0)
        return self._next_blink <= now < self._next_blink + 0.15

    def close(self) -> None:
        pass
