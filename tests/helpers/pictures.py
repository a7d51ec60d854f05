"""Comparing pictures of screens the way a person would: tile by tile, forgiving anti-aliasing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

TILE = 20
TOLERANCE = 10  # mean difference in a tile, of 255: a changed word or button is far above it


def pixels(image: QImage, size: QSize | None = None) -> np.ndarray:
    if size is not None and image.size() != size:
        image = image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(np.int16)


def tile_differences(a: QImage, b: QImage) -> np.ndarray:
    """Mean absolute difference of each TILE x TILE tile, ``b`` scaled to ``a``'s size."""
    pa, pb = pixels(a), pixels(b, a.size())
    height, width = (pa.shape[0] // TILE) * TILE, (pa.shape[1] // TILE) * TILE
    diff = np.abs(pa[:height, :width] - pb[:height, :width]).mean(axis=2)
    return diff.reshape(height // TILE, TILE, width // TILE, TILE).mean(axis=(1, 3))


def matching(a: QImage, b: QImage) -> float:
    """The share of tiles in which ``a`` and ``b`` look the same."""
    return float((tile_differences(a, b) <= TOLERANCE).mean())
