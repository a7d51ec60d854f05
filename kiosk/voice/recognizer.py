"""Offline command recognition: Vosk in grammar mode (a model on disk, never downloaded), and how
its answer is combined with the station's taught templates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.voice.matcher import Intent, IntentMatcher
from kiosk.voice.microphone import CHUNK_BYTES, SAMPLE_RATE

if TYPE_CHECKING:  # numpy comes with the templates: not on the start-up path
    from pathlib import Path

    from kiosk.voice.grammar import Grammar
    from kiosk.voice.templates import Decision

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


@dataclass(frozen=True)
class Heard:
    """What the kiosk made of one utterance, and which engine decided."""

    intent: Intent | None
    engine: str  # "templates" or "vosk"
    score: float | None = None  # the templates' DTW distance (lower is closer); None when Vosk decided
    text: str | None = None  # what Vosk heard, if it listened

    def as_dict(self) -> dict:
        return {
            "intent": self.intent.name if self.intent else None,
            "engine": self.engine,
            "score": None if self.score is None else round(self.score, 2),
        }


def combine(decision: Decision | None, heard_text: str | None, matcher: IntentMatcher | None) -> Heard:
    """Both engines heard the same utterance; one answer, or none.

    The taught templates speak first: they are the station's own speech, and they already refuse
    whatever is not close and clear. Vosk's Mandarin model decides when the templates have nothing
    to say (no template on this screen, or none close: a Mandarin speaker who never taught), and it
    breaks a tie between the templates' two closest commands. If it names a third command while the
    templates hesitate, the two engines disagree and nothing happens: no silent wrong action.
    """
    said = matcher.match(heard_text) if matcher is not None and heard_text else None
    score = decision.score if decision is not None else None
    if decision is not None and decision.intent is not None:
        return Heard(Intent(decision.intent, ""), "templates", score, heard_text)
    if decision is not None and decision.reason == "too_close":
        if said is not None and said.name in (decision.closest, decision.second):
            return Heard(said, "vosk", None, heard_text)
        return Heard(None, "templates", score, heard_text)
    if said is not None:
        return Heard(said, "vosk", None, heard_text)
    engine = "vosk" if matcher is not None and (decision is None or decision.reason == "no_templates") else "templates"
    return Heard(None, engine, score, heard_text)
