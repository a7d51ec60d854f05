"""Offline command recognition with Vosk in grammar mode, from a model on disk (never downloaded)."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.voice.grammar import Grammar

SAMPLE_RATE = 16_000
CHUNK_BYTES = 8_000  # a quarter second of 16 kHz 16-bit mono
REQUIRED = ("am/final.mdl", "conf/model.conf")


class VoiceModelMissing(KioskError):
    pass


def check_model_dir(path: Path) -> None:
    missing = [name for name in REQUIRED if not (path / name).exists()]
    if missing:
        raise VoiceModelMissing(f"{path} 不是完整的 Vosk 模型（缺 {', '.join(missing)}）")


class CommandRecognizer:
    def __init__(self, model_dir: Path) -> None:
        check_model_dir(model_dir)
        from vosk import Model, SetLogLevel

        SetLogLevel(-1)
        self._model = Model(str(model_dir))  # by path: Model(lang=...) would download

    def knows(self, word: str) -> bool:
        return self._model.vosk_model_find_word(word) >= 0

    def session(self, grammar: Grammar | None) -> Utterance:
        from vosk import KaldiRecognizer

        if grammar is None:
            return Utterance(KaldiRecognizer(self._model, SAMPLE_RATE))
        return Utterance(KaldiRecognizer(self._model, SAMPLE_RATE, grammar.as_json()))

    def decode(self, pcm: bytes, grammar: Grammar | None) -> str:
        utterance = self.session(grammar)
        for start in range(0, len(pcm), CHUNK_BYTES):
            utterance.feed(pcm[start : start + CHUNK_BYTES])
        return utterance.finish()


class Utterance:
    """One stretch of listening: feed 16 kHz mono 16-bit chunks, then ask what was said."""

    def __init__(self, recognizer) -> None:
        self._recognizer = recognizer

    def feed(self, chunk: bytes) -> str | None:
        """The text of a finished phrase when the recogniser heard one end, else None."""
        if self._recognizer.AcceptWaveform(chunk):
            return json.loads(self._recognizer.Result()).get("text", "")
        return None

    def finish(self) -> str:
        return json.loads(self._recognizer.FinalResult()).get("text", "")
