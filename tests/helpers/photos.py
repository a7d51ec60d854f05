"""Photos the size the kiosk really sends: camera frames shrunk to 1024 px JPEGs (kiosk's own encoder)."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.identity.face.camera import shrink_to_jpeg


def camera_photo(kib: int, seed: int = 0, side: int = 1024) -> bytes:
    """A square JPEG within 3% of ``kib`` KiB: detail is what makes a photo large.

    At the produce photo's 1024 px that is 90-650 KiB; at the face evidence's 480 px, 20-140 KiB.
    """
    frame = np.random.default_rng(seed).integers(0, 256, (side, side, 3), dtype=np.uint8)
    low, high = 0.25, 4.0  # blur: more blur, less detail, a smaller JPEG
    for _ in range(30):
        sigma = (low + high) / 2
        photo = shrink_to_jpeg(cv2.GaussianBlur(frame, (0, 0), sigma), max_side=side)
        if abs(len(photo) - kib * 1024) <= kib * 1024 * 0.03:
            return photo
        low, high = (sigma, high) if len(photo) > kib * 1024 else (low, sigma)
    raise ValueError(f"no photo of about {kib} KiB from this frame")
