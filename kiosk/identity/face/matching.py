"""Compare face embeddings: 1:1 against the card or an enrolled template, 1:N among enrolled villagers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# dlib's model is trained so that the same person is usually within 0.6; we ask for a little more.
DEFAULT_THRESHOLD = 0.55
# For 1:N, the best candidate must also beat the second best by this much, or nobody is chosen.
DEFAULT_MARGIN = 0.08


@dataclass(frozen=True)
class Match:
    matched: bool
    distance: float


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)))


def verify(probe: np.ndarray, reference: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> Match:
    d = distance(probe, reference)
    return Match(d <= threshold, d)


def identify(
    probe: np.ndarray,
    templates: dict[str, np.ndarray],
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
) -> str | None:
    """The one enrolled subject this face belongs to, or None when unsure."""
    ranked = sorted((distance(probe, t), subject) for subject, t in templates.items())
    if not ranked or ranked[0][0] > threshold:
        return None
    if len(ranked) > 1 and ranked[1][0] - ranked[0][0] < margin:
        return None
    return ranked[0][1]
