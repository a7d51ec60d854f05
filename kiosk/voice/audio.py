"""Audio for speaking and recording: read, resample, trim silence, match loudness, join, write.

The libraries, and why: soundfile (libsndfile) reads whatever WAV a county's recorder wrote (16 or 24
bit, float) and writes ours; scipy's polyphase resampler brings every clip to one rate without
aliasing; webrtcvad (the same detector that cuts spoken commands) finds where speech starts and ends,
which an energy threshold gets wrong in a noisy room; pyloudnorm measures loudness as broadcasters do
(ITU-R BS.1770), so a recorded word and a synthesised name sound equally loud side by side.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from kiosk.voice.vad import speech_span

if TYPE_CHECKING:
    from pathlib import Path

OUTPUT_RATE = 22_050  # espeak-ng's own rate: text-to-speech needs no resampling
TARGET_LUFS = -20.0
PEAK_LIMIT = 0.89  # -1 dBFS
EDGE_S = 0.04  # kept around trimmed speech, so soft consonants are not clipped
FADE_S = 0.005  # at every join: no clicks


def read(path: Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and their rate."""
    import soundfile

    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return samples.mean(axis=1), rate


def read_bytes(data: bytes) -> tuple[np.ndarray, int]:
    import soundfile

    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return samples.mean(axis=1), rate


def to_wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, np.clip(samples, -1.0, 1.0), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def write(path: Path, samples: np.ndarray, rate: int) -> None:
    path.write_bytes(to_wav_bytes(samples, rate))


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return samples
    from math import gcd

    from scipy.signal import resample_poly

    step = gcd(rate, target)
    return resample_poly(samples, target // step, rate // step).astype(np.float32)


def trim(samples: np.ndarray, rate: int) -> np.ndarray:
    """Only the speech, with a little room either side; a clip with no speech found is kept whole."""
    pcm16k = _pcm16(resample(samples, rate, 16_000))
    span = speech_span(pcm16k)
    if span is None:
        return samples
    start, end = span  # in seconds
    first = max(0, int((start - EDGE_S) * rate))
    last = min(len(samples), int((end + EDGE_S) * rate))
    return samples[first:last]


def loudness_matched(samples: np.ndarray, rate: int, target: float = TARGET_LUFS) -> np.ndarray:
    """``samples`` at the target loudness, their peak kept below -1 dBFS."""
    import pyloudnorm

    seconds = len(samples) / rate
    if seconds < 0.05:
        return samples
    meter = pyloudnorm.Meter(rate, block_size=min(0.4, seconds))
    loudness = meter.integrated_loudness(samples.astype(np.float64))
    if not np.isfinite(loudness):
        return samples
    gained = samples * np.float32(10 ** ((target - loudness) / 20))
    peak = float(np.max(np.abs(gained))) if len(gained) else 0.0
    if peak > PEAK_LIMIT:
        gained *= np.float32(PEAK_LIMIT / peak)
    return gained


def prepared(samples: np.ndarray, rate: int, out_rate: int = OUTPUT_RATE) -> np.ndarray:
    """One segment ready to join: at the output rate, silence trimmed, at the common loudness."""
    return loudness_matched(trim(resample(samples, rate, out_rate), out_rate), out_rate)


def prepare_recording(samples: np.ndarray, rate: int) -> bytes:
    """What a volunteer's recording is kept as in a pack: trimmed, normalised, a 16-bit mono WAV at its rate."""
    return to_wav_bytes(loudness_matched(trim(samples, rate), rate), rate)


def join(pieces: list[tuple[np.ndarray, float]], rate: int = OUTPUT_RATE) -> np.ndarray:
    """Segments one after another, each followed by its pause (seconds), with short fades at the seams."""
    fade = int(FADE_S * rate)
    out = []
    for samples, pause in pieces:
        piece = samples.astype(np.float32, copy=True)
        if len(piece) > 2 * fade:
            ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
            piece[:fade] *= ramp
            piece[-fade:] *= ramp[::-1]
        out.append(piece)
        if pause > 0:
            out.append(np.zeros(int(pause * rate), dtype=np.float32))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def _pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
