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
camera's exposure do not count, only colour. Over the check, the face's chroma is fitted by
least squares to the chroma that was on the screen ``lag`` earlier (any 2x2 mix of it: skin
reflects red more than blue, and the camera's white balance mixes again), with an offset and a
slow drift (white balance adapting). The score is the share of the face's colour changes the
screen explains, at the best lag up to ``max_lag_s`` (display and camera latency).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

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
        index = int(elapsed // self.segment_s)
        into = elapsed - index * self.segment_s
        colour = np.array(PALETTE[self.colours[index]], float)
        if index > 0 and into < FADE_S:
            before = np.array(PALETTE[self.colours[index - 1]], float)
            colour = before + (colour - before) * into / FADE_S
        return tuple(int(round(v)) for v in colour)

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
    steps = [abs(relative_luminance(a) - relative_luminance(b)) for a, b in zip(colours, colours[1:], strict=False)]
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


def screen_chroma(rgb: Rgb) -> tuple[float, float]:
    pixel = np.array([[rgb]], np.uint8)
    return chroma_of(cv2.cvtColor(pixel, cv2.COLOR_RGB2YCrCb)[0, 0].astype(float))


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


def follow_score(
    times: Sequence[float], chroma: Sequence[tuple[float, float]], plan: FlashPlan, max_lag_s: float
) -> FlashScore:
    """How well the face's chroma (at ``times``, seconds from the flash's start) follows the plan."""
    t = np.asarray(times, float)
    observed = np.asarray(chroma, float).reshape(-1, 2)
    usable = (t >= max_lag_s) & (t < plan.duration_s)
    t, observed = t[usable], observed[usable]
    if len(t) < 3 * len(plan.colours):
        return FlashScore(0.0, 0.0, len(t))
    drift = np.column_stack([np.ones_like(t), t - t.mean()])
    trend_fit = np.linalg.lstsq(drift, observed, rcond=None)[0]
    residual = observed - drift @ trend_fit
    total = float((residual**2).sum())
    if total <= 0:
        return FlashScore(0.0, 0.0, len(t))
    best = FlashScore(0.0, 0.0, len(t))
    for lag in np.arange(0.0, max_lag_s + 1e-9, LAG_STEP_S):
        shown = np.array([screen_chroma(plan.colour_at(when - lag)) for when in t])
        design = np.column_stack([shown, drift])
        coefficients = np.linalg.lstsq(design, observed, rcond=None)[0]
        if np.trace(coefficients[:2]) <= 0:
            continue  # the face got less of what the screen showed: not a reflection
        explained = 1 - float(((observed - design @ coefficients) ** 2).sum()) / total
        if explained > best.score:
            best = FlashScore(explained, float(lag), len(t))
    return best
