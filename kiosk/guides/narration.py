"""The voice of a generated guide: each step's sentence said by the kiosk's own speech.

Everything that speaks for a guide goes through ``narrate``: the kiosk's synthesizer with its
configured voice, so the station's voice pack (kiosk/voice/pack.py) says what it has recordings
for and espeak-ng's Mandarin the rest, exactly as the screens are read.
"""

from __future__ import annotations

import tempfile
import threading
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.voice.planner import open_planner
from kiosk.voice.tts import RENDER_ATTEMPTS, RENDER_TIMEOUT_S, SpeechSettings, Synthesizer

if TYPE_CHECKING:
    from kiosk.config import VoiceConfig

MIN_SPOKEN_S = 0.3


@dataclass(frozen=True)
class Sound:
    rate: int
    samples: array  # signed 16-bit, mono

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def narrate(texts: list[str], voice: VoiceConfig | None = None) -> list[Sound]:
    """Each text as the kiosk says it with ``voice`` and its pack (default: the embedded voice, no
    pack: the shipped guides); a KioskError if the kiosk cannot speak."""
    settings = SpeechSettings(voice.voice, voice.rate) if voice else SpeechSettings()
    planner = (lambda: open_planner(voice.pack_dir())) if voice else None
    with tempfile.TemporaryDirectory(prefix="kiosk-narration-") as folder:
        synthesizer = Synthesizer(Path(folder), settings, open_planner=planner)
        synthesizer.start()
        try:
            return [_render(synthesizer, text) for text in texts]
        finally:
            synthesizer.close()


def _render(synthesizer: Synthesizer, text: str) -> Sound:
    """One step's sentence (the synthesizer itself says again what espeak-ng handed back empty)."""
    done = threading.Event()
    rendered: list[Path | None] = []
    synthesizer.render(text, lambda path: (rendered.append(path), done.set()))
    if not done.wait(RENDER_ATTEMPTS * RENDER_TIMEOUT_S + 5) or rendered[0] is None:
        raise KioskError("没有语音合成可用（espeak-ng 和普通话语音）：装上 espeak-ng 再生成指南")
    sound = read_wav(rendered[0])
    if sound.seconds < MIN_SPOKEN_S:
        raise KioskError(f"语音合成说不出这一句：「{text}」")
    return sound


def read_wav(path: Path) -> Sound:
    with wave.open(str(path), "rb") as source:
        if source.getsampwidth() != 2:
            raise KioskError(f"{path}: 只能读 16 位的 WAV")
        channels, rate = source.getnchannels(), source.getframerate()
        samples = array("h", source.readframes(source.getnframes()))
    if channels > 1:  # the first channel is enough for a voice
        samples = samples[::channels]
    return Sound(rate, samples)
