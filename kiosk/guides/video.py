"""A narrated slide video (MP4: H.264 and AAC) from a guide's pictures and spoken sentences, with PyAV.

Each picture stays on screen while its sentence is said, and a moment more; the subtitles are the
sentences with their times. The pictures hardly move, so a low frame rate and x264's still-image
tuning keep a minute of video to a few hundred kilobytes.
"""

from __future__ import annotations

from array import array
from fractions import Fraction
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

from kiosk.errors import KioskError
from kiosk.services.guides import Cue

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.guides.narration import Sound

FPS = 5
PAUSE_S = 0.8  # after each sentence, before the next picture
MIN_SCENE_S = 2.5
SILENCE = 300  # below this (of 32767) a sample is silence: espeak's own lead-in and tail are trimmed
AUDIO_BITRATE = 32_000  # a synthetic voice at 22 kHz: more would only make the bundle larger
AUDIO_FRAME = 1024  # samples per AAC frame


def encode(out: Path, scenes: list[tuple[QImage, str, Sound]]) -> list[Cue]:
    """Write ``out`` and return its subtitles. ``scenes``: (picture, sentence, narration), in order;
    the pictures are all the same size."""
    try:
        import av
    except ImportError:
        raise KioskError("生成视频要用 PyAV：pip install 'village-kiosk[guides]'") from None
    rate = scenes[0][2].rate
    width, height = scenes[0][0].width(), scenes[0][0].height()
    partial = out.with_name(f".{out.name}.partial")
    cues: list[Cue] = []
    audio = array("h")
    with av.open(str(partial), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=FPS, options={"tune": "stillimage", "crf": "30"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        voice = container.add_stream("aac", rate=rate, layout="mono")
        voice.bit_rate = AUDIO_BITRATE
        frames = 0
        for picture, sentence, sound in scenes:
            speech = _trimmed(sound, rate)
            seconds = max(MIN_SCENE_S, len(speech) / rate + PAUSE_S)
            start = frames / FPS
            count = round(seconds * FPS)
            frame = av.VideoFrame.from_ndarray(_rgb(picture), format="rgb24")
            for _ in range(count):
                frame.pts = frames
                container.mux(video.encode(frame))
                frames += 1
            cues.append(Cue(round(start, 2), round(frames / FPS, 2), sentence))
            audio.extend(speech)
            audio.extend(array("h", bytes(2 * (round(frames / FPS * rate) - len(audio)))))
        container.mux(video.encode(None))
        for offset in range(0, len(audio), AUDIO_FRAME):
            chunk = audio[offset : offset + AUDIO_FRAME]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk))
            frame.planes[0].update(chunk.tobytes())
            frame.sample_rate, frame.pts, frame.time_base = rate, offset, Fraction(1, rate)
            container.mux(voice.encode(frame))
        container.mux(voice.encode(None))
    partial.replace(out)
    return cues


def _trimmed(sound: Sound, rate: int) -> array:
    if sound.rate != rate:
        raise KioskError(f"旁白的采样率不一致：{sound.rate} 和 {rate}")
    loud = [i for i, value in enumerate(sound.samples) if abs(value) > SILENCE]
    return sound.samples[loud[0] : loud[-1] + 1] if loud else array("h")


def _rgb(picture: QImage):
    import numpy as np

    image = picture.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()
