"""Tiny MP4s (H.264 + AAC) made on the spot with PyAV, for the video tests."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import av
import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

RATE = 22_050


def make_mp4(path: Path, colours: list[tuple[int, int, int]], seconds_each: float = 0.5, fps: int = 10) -> Path:
    """A video showing each colour in turn for ``seconds_each``, with a tone under it all."""
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 90, "yuv420p"
        audio = container.add_stream("aac", rate=RATE, layout="mono")
        pts = 0
        for colour in colours:
            image = np.empty((90, 160, 3), np.uint8)
            image[:] = colour
            for _ in range(round(seconds_each * fps)):
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = pts
                pts += 1
                container.mux(video.encode(frame))
        container.mux(video.encode(None))
        total = round(len(colours) * seconds_each * RATE)
        tone = (np.sin(2 * np.pi * 440 * np.arange(total) / RATE) * 8000).astype(np.int16)
        for offset in range(0, total, 1024):
            chunk = tone[offset : offset + 1024]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, offset, Fraction(1, RATE)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
    return path
