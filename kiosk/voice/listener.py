"""Listening for spoken commands on a worker thread, only while a screen waits for input.

Two engines can listen: the commands the station taught (templates of its own speech, matched by
DTW) and a Vosk model in grammar mode. Both hear every chunk. The voice-activity detector decides
where an utterance ends; then the templates judge it, Vosk's text for the same stretch is read,
and ``combine`` (recognizer.py) gives one answer or none. With only Vosk, its own end-of-phrase
decides, as before. The model and the templates load here, after the home screen is shown; until
they have, and if there are neither, the kiosk simply works by touch. Listening pauses while the
kiosk is speaking, so it never hears itself.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.voice.grammar import build_grammar
from kiosk.voice.phrases import matchers
from kiosk.voice.recognizer import CommandRecognizer, Heard, combine
from kiosk.voice.state import VoiceState
from kiosk.worker import WorkerThread

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.voice.matcher import Intent, IntentMatcher
    from kiosk.voice.microphone import AudioSource

log = logging.getLogger(__name__)


class Listener(WorkerThread):
    thread_name = "listener"
    join_timeout_s = 10.0  # a thread still inside Vosk's C++ code as the interpreter exits aborts it

    def __init__(
        self,
        open_recognizer: Callable[[], CommandRecognizer],
        open_source: Callable[[], AudioSource],
        phrases: dict[str, dict[str, list[str]]],
        on_intent: Callable[[Intent], None],
        on_state: Callable[[VoiceState], None] = lambda state: None,
        open_templates: Callable[[], object] | None = None,
        on_heard: Callable[[Heard, float], None] = lambda heard, decision_ms: None,
        on_hearable: Callable[[frozenset[str] | None], None] = lambda intents: None,
    ) -> None:
        """``open_templates`` returns the taught TemplateSet (read from the store on this thread);
        ``on_heard`` hears every decision, with the milliseconds it took after the end of speech;
        ``on_hearable`` is told what can be heard, whenever that changes: None for every command (a
        model is loaded), else the intents taught."""
        self._open_recognizer = open_recognizer
        self._open_source = open_source
        self._phrases = phrases
        self._on_intent = on_intent
        self._on_state = on_state
        self._open_templates = open_templates
        self._on_heard = on_heard
        self._on_hearable = on_hearable
        self._lock = threading.Lock()
        self._context: str | None = None
        self._changed = threading.Event()
        self._reload = threading.Event()
        super().__init__()

    def _wake(self) -> None:
        self._changed.set()

    def listen(self, context: str | None) -> None:
        """Listen for ``context``'s commands from now on; None pauses listening."""
        with self._lock:
            self._context = context
        self._changed.set()

    def reload_templates(self) -> None:
        """Commands were taught or removed: use the templates as they are now."""
        self._reload.set()
        self._changed.set()

    def _run(self) -> None:
        recognizer = self._vosk()
        templates = self._templates()
        while recognizer is None and not templates:
            self._on_state(VoiceState.UNAVAILABLE)
            self._changed.wait()
            self._changed.clear()
            if self._stop.is_set():
                return
            if self._reload.is_set():
                templates = self._templates()
        try:
            source = self._open_source()
        except KioskError as error:
            log.info("voice commands off: %s", error.message)
            self._on_state(VoiceState.UNAVAILABLE)
            return
        grammars = {}
        if recognizer is not None:
            grammars = {name: build_grammar(_all(p), recognizer.knows) for name, p in self._phrases.items()}
        matching = matchers(self._phrases)
        self._tell_hearable(recognizer, templates)
        self._on_state(VoiceState.READY)
        try:
            while not self._stop.is_set():
                self._changed.clear()
                if self._reload.is_set():
                    templates = self._templates()
                    self._tell_hearable(recognizer, templates)
                with self._lock:
                    context = self._context
                if context is None:
                    self._on_state(VoiceState.PAUSED)
                    self._changed.wait()
                    continue
                self._on_state(VoiceState.LISTENING)
                vosk = (recognizer, grammars[context]) if recognizer is not None else None
                self._hear(source, vosk, templates, matching[context], set(self._phrases[context]))
        finally:
            source.close()

    def _tell_hearable(self, recognizer: CommandRecognizer | None, templates) -> None:
        self._on_hearable(None if recognizer is not None else frozenset(templates.intents() if templates else ()))

    def _vosk(self) -> CommandRecognizer | None:
        try:
            return self._open_recognizer()
        except KioskError as error:
            log.info("no speech-recognition model: %s", error.message)
            return None

    def _templates(self):
        self._reload.clear()
        if self._open_templates is None:
            return None
        try:
            templates = self._open_templates()
        except KioskError as error:
            log.warning("taught commands not loaded: %s", error.message)
            return None
        return templates if len(templates) else None

    def _hear(self, source: AudioSource, vosk, templates, matcher: IntentMatcher, allowed: set[str]) -> None:
        if templates is None:
            self._hear_vosk(source, vosk, matcher)
            return
        from kiosk.voice.features import MIN_SPEECH_S, utterance_features
        from kiosk.voice.vad import Endpointer

        endpointer = Endpointer()
        utterance = vosk[0].session(vosk[1]) if vosk else None
        vosk_text = None
        while not self._changed.is_set():
            chunk = source.read(timeout=0.2)
            if chunk is None:
                continue
            if utterance is not None:
                text = utterance.feed(chunk)
                if text:
                    vosk_text = text
            for said in endpointer.feed(chunk):
                if said.end_s - said.start_s < MIN_SPEECH_S:
                    continue
                ended = time.perf_counter()
                decision = templates.decide(utterance_features(said.pcm), allowed)
                if utterance is not None:
                    vosk_text = vosk_text or utterance.finish()
                    utterance = vosk[0].session(vosk[1])
                self._decided(combine(decision, vosk_text, matcher if vosk else None), ended)
                vosk_text = None
            if vosk_text and not endpointer.in_speech:
                # Vosk heard a phrase the detector did not take for speech: it decides alone.
                self._decided(combine(None, vosk_text, matcher), time.perf_counter())
                vosk_text, utterance = None, vosk[0].session(vosk[1])

    def _hear_vosk(self, source: AudioSource, vosk, matcher: IntentMatcher) -> None:
        recognizer, grammar = vosk
        utterance = recognizer.session(grammar)
        while not self._changed.is_set():
            chunk = source.read(timeout=0.2)
            if chunk is None:
                continue
            started = time.perf_counter()
            text = utterance.feed(chunk)
            if text:
                self._decided(combine(None, text, matcher), started)
                utterance = recognizer.session(grammar)

    def _decided(self, heard: Heard, since: float) -> None:
        self._on_heard(heard, (time.perf_counter() - since) * 1000)
        if heard.intent is not None:
            self._on_intent(heard.intent)


def _all(intents: dict[str, list[str]]) -> list[str]:
    return [phrase for phrases in intents.values() for phrase in phrases]
