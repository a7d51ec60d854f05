"""Taught commands, recognised the way Rhasspy's Raven does it: a few recordings per command, DTW on
speech features, a distance threshold and a margin over the runner-up.

The distance between an utterance and a template is dynamic time warping over their MFCC frames
(dtaidistance's C implementation: a 1-second command against 60 templates in a few milliseconds;
fastdtw is an approximation and slower in pure Python), normalised by the two lengths so long and
short commands compare fairly. A command is the intent of its closest template; it is accepted only
if that distance is under the threshold AND every other intent is clearly farther (the margin).
Otherwise nothing happens: a villager who is not understood is asked again, never sent somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kiosk.voice.features import DIMENSIONS

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_THRESHOLD = 40.0
DEFAULT_MARGIN = 0.25
MAX_LENGTH_RATIO = 2.5  # a template more than this much longer or shorter is not the same command
WINDOW = 0.3  # how far (a share of the longer) an alignment may stray from the diagonal


@dataclass(frozen=True)
class Template:
    intent: str
    speaker: str
    features: np.ndarray  # frames × DIMENSIONS, float64


@dataclass(frozen=True)
class Decision:
    intent: str | None  # the accepted command, or None
    score: float | None  # distance to the closest template (lower is closer)
    closest: str | None  # the closest command, accepted or not
    runner_up: float | None  # distance to the closest template of any other command
    second: str | None  # that other command
    reason: str  # accepted | too_far | too_close | no_templates

    def as_dict(self) -> dict:
        return {
            "intent": self.intent,
            "closest": self.closest,
            "second": self.second,
            "reason": self.reason,
            "score": _rounded(self.score),
            "runner_up": _rounded(self.runner_up),
        }


def distance(a: np.ndarray, b: np.ndarray, beyond: float | None = None) -> float:
    """DTW distance per frame and coefficient (mean squared difference along the best alignment);
    infinite once it is sure to exceed ``beyond`` (dtaidistance abandons the alignment early)."""
    from dtaidistance import dtw_ndim

    shorter, longer = sorted((len(a), len(b)))
    if shorter == 0 or longer > MAX_LENGTH_RATIO * shorter:
        return float("inf")
    scale = (len(a) + len(b)) * DIMENSIONS
    limit = {} if beyond is None else {"max_dist": float(np.sqrt(beyond * scale))}
    window = max(longer - shorter, int(WINDOW * longer)) + 1
    total = dtw_ndim.distance(a, b, use_c=True, window=window, **limit)
    return total * total / scale


class TemplateSet:
    def __init__(
        self, templates: Iterable[Template], threshold: float = DEFAULT_THRESHOLD, margin: float = DEFAULT_MARGIN
    ) -> None:
        self.templates = list(templates)
        self.threshold = threshold
        self.margin = margin

    def __len__(self) -> int:
        return len(self.templates)

    @property
    def nbytes(self) -> int:
        return sum(t.features.nbytes for t in self.templates)

    def intents(self) -> set[str]:
        return {t.intent for t in self.templates}

    def decide(self, features: np.ndarray, allowed: Iterable[str]) -> Decision:
        wanted = set(allowed)
        closest: dict[str, float] = {}
        # Past this no template can change the decision: not the best (over the threshold), and not a
        # runner-up close enough to matter. Alignments that go further are abandoned early.
        beyond = self.threshold * (1 + self.margin)
        for template in self.templates:
            if template.intent in wanted:
                d = distance(features, template.features, beyond)
                if d < closest.get(template.intent, float("inf")):
                    closest[template.intent] = d
        if not closest:
            return Decision(None, None, None, None, None, "no_templates")
        ranked = sorted(closest.items(), key=lambda item: item[1])
        best, score = ranked[0]
        second, runner_up = ranked[1] if len(ranked) > 1 else (None, None)
        if not np.isfinite(score) or score > self.threshold:
            return Decision(None, _finite(score), best, _finite(runner_up), second, "too_far")
        if runner_up is not None and runner_up < score * (1 + self.margin):
            return Decision(None, score, best, runner_up, second, "too_close")
        return Decision(best, score, best, _finite(runner_up), second, "accepted")


def _finite(value: float | None) -> float | None:
    return value if value is not None and np.isfinite(value) else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
