"""Face timings on this machine's CPU at 640x480: the live-preview path and one match.

    python bench/face.py [--frames 60]

Preview path = Haar detection on the downscaled frame + 68 landmarks (what runs on every
camera frame); a match = detection + landmarks + the 128-d embedding + the distance. The
frames are scikit-image's astronaut placed at different spots of a 640x480 frame. Baseline in
the same run: OpenCV's own Haar detection at full resolution, as a naive preview would do it.
Targets (issue 4): >= 15 frames/s preview, <= 300 ms per match.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import skimage.data

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.identity.face.analyzer import FaceAnalyzer
from kiosk.identity.face.matching import verify


def frames(count: int) -> list[np.ndarray]:
    face = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)[:300, 80:380]
    out = []
    for n in range(count):
        canvas = np.full((480, 640, 3), 100, np.uint8)
        x, y = 40 + (n * 37) % 300, 20 + (n * 23) % 160
        canvas[y : y + 300, x : x + 300] = face
        out.append(canvas)
    return out


def timed(function, items) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    analyzer = FaceAnalyzer()
    start = time.perf_counter()
    analyzer.load()
    print(f"model load {time.perf_counter() - start:.2f} s")
    images = frames(args.frames)
    reference = analyzer.embed(images[0], analyzer.detect(images[0]))
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    naive = timed(lambda f: cascade.detectMultiScale(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY), 1.1, 5), images)
    preview = timed(analyzer.detect, images)
    match = timed(lambda f: verify(analyzer.embed(f, analyzer.detect(f)), reference), images[:20])
    p_naive, p_preview, p_match = (statistics.median(t) * 1000 for t in (naive, preview, match))
    print(f"baseline full-frame Haar  median {p_naive:6.1f} ms  ({1000 / p_naive:5.1f} frames/s)")
    print(
        f"preview detect+landmarks  median {p_preview:6.1f} ms  ({1000 / p_preview:5.1f} frames/s, target >= 15)  ratio to baseline {p_preview / p_naive:.2f}x"
    )
    print(f"one match                 median {p_match:6.1f} ms  (target <= 300 ms), worst {max(match) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
