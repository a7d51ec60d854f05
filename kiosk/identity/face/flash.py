"""The screen-flash check: the frame around the preview shows a short random run of calm colours,
and the colour reflected on the face's skin must follow it.

A screen or a photo held up to the camera cannot follow a sequence it does not know, and a
recording of an earlier certification follows the sequence shown that day, not today's.

Photosensitivity: the colours are pastels of one lightness (CIE L* 72, relative luminance
0.434 to 0.438, under 1 % apart), so by WCAG 2.3.1 and ITU-R BT.1702 no change is a flash at all
(both count a flash from a 10 % relative-luminance, or 20 cd/m2, change), none is a saturated red
(red is at most 0.44 of R+G+B; WCAG's saturated red is 0.8 and more), and the colour changes at
most 1 / ``segment_s`` times a second (2.5 at the default 0.4 s, under the limit of 3) with a
0.1 s cross-fade. ``flash_report`` checks a plan against these limits.

Analysis: each frame's skin region (between the eyes and the upper lip, where there is no hair,
eyes or lips) is converted to YCrCb and its chroma divided by its brightness, so shading and the
camera's exposure do not count, only colour. Over the check, after removing an offset and a slow
drift (white balance adapting) from both, the face's Cr and Cb are each fitted by least squares
to the screen's Cr and Cb ``lag`` earlier, with a positive gain of its own (skin reflects red
more than blue). The score is the share of the face's colour changes the screen explains, at the
best lag up to ``max_lag_s`` (display and camera latency); the strength is the mean gain, how
much of the screen's colour the face sends back. A photo shown on a phone follows the flash only
through the glint on its glass: faint, so it is refused on strength. A full 2x2 mix of the channels was
tried and dropped: its extra freedom let a replayed sequence fit today's about one time in seven.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    import random
    from collections.abc import Sequence

Rgb = tuple[int, int, int]

# CIE L* 72, chroma 35, hues 30 to 330 degrees: coral, sand, green, cyan, blue, orchid.
PALETTE: tuple[Rgb, ...] = (
    (238, 155, 146),
    (198, 174, 112),
    (127, 191, 144),
    (62, 193, 207),
    (132, 180, 240),
    (217, 158, 209),
)
FADE_S = 0.1
LAG_STEP_S = 1 / 60
MAX_FLASHES_PER_S = 3  # WCAG 2.3.1, ITU-R BT.1702
FLASH_LUMINANCE_CHANGE = 0.10  # WCAG's general flash: a change of 10 % of the maximum relative luminance
SATURATED_RED = 0.8  # WCAG 2.2: R / (R + G + B)


@dataclass(frozen=True)
class FlashPlan:
    colours: tuple[int, ...]  # indices into PALETTE
    segment_s: float

    @property
    def duration_s(self) -> float:
        return len(self.colours) * self.segment_s

    def colour_at(self, elapsed: float) -> Rgb | None:
        """What the frame shows ``elapsed`` seconds into the flash; None before and after it."""
        if elapsed < 0 or elapsed >= self.duration_s:
            return None
        return tuple(round(v) for v in self.colours_at(np.array([elapsed]))[0].tolist())

    def colours_at(self, elapsed: np.ndarray) -> np.ndarray:
        """RGB (N x 3, float) at each of ``elapsed``, held at the first and last colour outside the flash."""
        palette = np.array(PALETTE, float)[list(self.colours)]
        index = np.clip((elapsed // self.segment_s).astype(int), 0, len(self.colours) - 1)
        into = np.clip(elapsed - index * self.segment_s, 0, None)
        fading = np.clip(into / FADE_S, 0, 1)[:, None]
        before = palette[np.maximum(index - 1, 0)]
        return np.where((index > 0)[:, None], before + (palette[index] - before) * fading, palette[index])

    def hex(self) -> list[str]:
        return ["#{:02x}{:02x}{:02x}".format(*PALETTE[i]) for i in self.colours]


def plan_flash(rng: random.Random, segments: int, segment_s: float) -> FlashPlan:
    """A random run of colours, never the same twice in a row."""
    colours = [rng.randrange(len(PALETTE))]
    while len(colours) < segments:
        colours.append(rng.choice([i for i in range(len(PALETTE)) if i != colours[-1]]))
    return FlashPlan(tuple(colours), segment_s)


def relative_luminance(rgb: Rgb) -> float:
    c = np.array(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def flash_report(plan: FlashPlan) -> dict:
    """The plan against the photosensitivity limits: changes a second, luminance steps, saturated red."""
    colours = [PALETTE[i] for i in plan.colours]
    steps = [abs(relative_luminance(a) - relative_luminance(b)) for a, b in pairwise(colours)]
    return {
        "changes_per_s": 1 / plan.segment_s,
        "largest_luminance_step": max(steps, default=0.0),
        "saturated_red": any(r / max(1, r + g + b) >= SATURATED_RED for r, g, b in colours),
        "within_limits": 1 / plan.segment_s <= MAX_FLASHES_PER_S
        and max(steps, default=0.0) < FLASH_LUMINANCE_CHANGE
        and not any(r / max(1, r + g + b) >= SATURATED_RED for r, g, b in colours),
    }


def chroma_of(ycrcb: Sequence[float]) -> tuple[float, float]:
    """Cr and Cb about neutral, divided by brightness: colour without shading or exposure."""
    y, cr, cb = ycrcb[:3]
    return (cr - 128) / max(y, 1.0), (cb - 128) / max(y, 1.0)


def screen_chroma(rgb: np.ndarray) -> np.ndarray:
    """Chroma of screen colours (N x 3 RGB), by OpenCV's RGB to YCrCb formulas (delta 128)."""
    rgb = np.asarray(rgb, float).reshape(-1, 3)
    y = rgb @ (0.299, 0.587, 0.114)
    cr, cb = (rgb[:, 0] - y) * 0.713, (rgb[:, 2] - y) * 0.564
    return np.column_stack([cr, cb]) / np.maximum(y, 1.0)[:, None]


def skin_region(landmarks: np.ndarray) -> tuple[int, int, int, int]:
    """Left, top, right, bottom: from under the eyes to the upper lip, between the outer eye corners."""
    left, right = landmarks[36][0], landmarks[45][0]
    top = max(landmarks[40][1], landmarks[41][1], landmarks[46][1], landmarks[47][1])
    bottom = landmarks[51][1]
    inset = (right - left) * 0.05
    return int(left + inset), int(top + (bottom - top) * 0.15), int(right - inset), int(bottom - (bottom - top) * 0.1)


def skin_chroma(frame_bgr: np.ndarray, landmarks: np.ndarray) -> tuple[float, float] | None:
    """The skin region's mean chroma, leaving out highlights and shadows; None if there is no region."""
    height, width = frame_bgr.shape[:2]
    left, top, right, bottom = skin_region(landmarks)
    left, top, right, bottom = max(0, left), max(0, top), min(width, right), min(height, bottom)
    if right - left < 4 or bottom - top < 4:
        return None
    region = cv2.cvtColor(frame_bgr[top:bottom:2, left:right:2], cv2.COLOR_BGR2YCrCb)
    lit = cv2.inRange(region[:, :, 0], 40, 235)
    if cv2.countNonZero(lit) < 8:
        return None
    y, cr, cb, _ = cv2.mean(region, mask=lit)
    return chroma_of((y, cr, cb))


@dataclass(frozen=True)
class FlashScore:
    score: float  # share of the face's colour changes explained by the screen, 0..1
    lag_s: float
    frames: int
    strength: float = 0.0  # how much of the screen's chroma comes back from the face


def follow_score(
    times: Sequence[float], chroma: Sequence[tuple[float, float]], plan: FlashPlan, max_lag_s: float
) -> FlashScore:
    """How well the face's chroma (at ``times``, seconds from the flash's start) follows the plan."""
    t = np.asarray(times, float)
    observed = np.asarray(chroma, float).reshape(-1, 2)
    usable = (t >= max_lag_s) & (t < plan.duration_s)
    t, observed = t[usable], observed[usable]
    if len(t) < 2 * len(plan.colours):
        return FlashScore(0.0, 0.0, len(t))
    drift = np.column_stack([np.ones_like(t), t - t.mean()])

    def detrended(values: np.ndarray) -> np.ndarray:
        return values - drift @ np.linalg.lstsq(drift, values, rcond=None)[0]

    face = detrended(observed)
    total = float((face**2).sum())
    best = FlashScore(0.0, 0.0, len(t))
    if total <= 0:
        return best
    for lag in np.arange(0.0, max_lag_s + 1e-9, LAG_STEP_S):
        shown = detrended(screen_chroma(plan.colours_at(t - lag)))
        power = (shown**2).sum(axis=0)
        if power.min() <= 0:
            continue
        gains = (shown * face).sum(axis=0) / power
        if gains.min() <= 0:
            continue  # a channel got less of what the screen showed: not a reflection
        explained = 1 - float(((face - shown * gains) ** 2).sum()) / total
        if explained > best.score:
            best = FlashScore(explained, float(lag), len(t), float(gains.mean()))
    return best
