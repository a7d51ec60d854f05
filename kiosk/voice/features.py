"""Speech features for taught commands: MFCCs of the spoken part of a 16 kHz mono 16-bit recording.

python_speech_features computes the MFCCs and their deltas (pure numpy and scipy, 20 years of use
in Raven-style keyword spotters; librosa would bring numba and a much longer import for the same
numbers). Before that, each utterance is brought to one level and a faint fixed-seed dither is
added 30 dB below it: a template taught in a quiet room and a command said over a fan then see the
same floor in their pauses, instead of digital silence against noise. Cepstral means are removed
per utterance, so a different microphone or distance shifts nothing.
"""

from __future__ import annotations

import wave
from typing import TYPE_CHECKING

import numpy as np

from kiosk.errors import InvalidInput
from kiosk.voice.vad import RATE, main_utterance

if TYPE_CHECKING:
    from pathlib import Path

ACCEPTED = "16 kHz、单声道、16 位 PCM 的 WAV 文件"
CONVERT = "sox 原文件.wav -r 16000 -c 1 -b 16 新文件.wav"
MAX_SECONDS = 10.0
MIN_SPEECH_S = 0.25  # shorter is a click or a cough, not a command (对 said fast is 0.36 s)
LEVEL = 1000.0  # RMS every utterance is brought to, in 16-bit units
DITHER_DB = 30.0
CEPSTRA = 13
DIMENSIONS = 2 * CEPSTRA  # the coefficients and their deltas


class NoSpeech(InvalidInput):
    """The recording holds no speech the detector can find."""


def read_wav(path: Path) -> bytes:
    """The PCM of a 16 kHz mono 16-bit WAV file; any other file is refused with one plain line."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate, channels, width, frames = wav.getframerate(), wav.getnchannels(), wav.getsampwidth(), wav.getnframes()
            if (rate, channels, width) != (RATE, 1, 2):
                found = f"{rate} Hz、{channels} 声道、{width * 8} 位"
                raise InvalidInput(f"{path.name} 是 {found}：只收{ACCEPTED}（可以这样转换：{CONVERT}）")
            if frames > MAX_SECONDS * RATE:
                raise InvalidInput(f"{path.name} 长 {frames / RATE:.1f} 秒：一条命令的录音不应超过 {MAX_SECONDS:g} 秒")
            return wav.readframes(frames)
    except FileNotFoundError:
        raise InvalidInput(f"找不到录音文件：{path}") from None
    except (wave.Error, EOFError) as error:
        raise InvalidInput(f"{path.name} 不是{ACCEPTED}（{error}）") from None


def speech_features(pcm: bytes) -> np.ndarray:
    """Frames × 26 (13 MFCCs and their deltas, 10 ms apart) of the main utterance in ``pcm``."""
    utterance = main_utterance(pcm)
    if utterance is None or utterance.end_s - utterance.start_s < MIN_SPEECH_S:
        raise NoSpeech("录音里听不到说话：请离麦克风近一点，说清楚再录一次")
    return utterance_features(utterance.pcm)


def utterance_features(pcm: bytes) -> np.ndarray:
    from python_speech_features import delta, mfcc

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    rms = float(np.sqrt(np.mean(samples**2))) or 1.0
    samples = samples * (LEVEL / rms)
    samples += np.random.default_rng(0).standard_normal(len(samples)) * LEVEL * 10 ** (-DITHER_DB / 20)
    cepstra = mfcc(
        samples,
        RATE,
        winlen=0.025,
        winstep=0.01,
        numcep=CEPSTRA,
        nfilt=26,
        nfft=512,
        appendEnergy=True,
        winfunc=np.hamming,
    )
    cepstra -= cepstra.mean(axis=0)
    return np.ascontiguousarray(np.hstack([cepstra, delta(cepstra, 2)]), dtype=np.float64)
