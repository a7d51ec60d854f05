"""Listening for spoken commands on a worker thread, only while a screen waits for input.

The model loads here, after the home screen is shown; until it has, and if there is none, the
kiosk simply works by touch. Listening pauses while the kiosk is speaking, so it never hears itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from kiosk.errors import KioskError
from kiosk.voice.grammar import Grammar, build_grammar
from kiosk.voice.matcher import Intent, IntentMatcher
from kiosk.voice.recognizer import CommandRecognizer
from kiosk.worker import WorkerThread

log = logging.getLogger(__name__)


class AudioSource(Protocol):
    def read(self, timeout: float = 1.0) -> bytes | None: ...

    def close(self) -> None: ...


class Listener(WorkerThread):
    thread_name = "listener"
    join_timeout_s = 10.0  # a thread still inside Vosk's C++ code as the interpreter exits aborts it

    def __init__(
        self,
        open_recognizer: Callable[[], CommandRecognizer],
        open_source: Callable[[], AudioSource],
        phrases: dict[str, dict[str, list[str]]],
        on_intent: Callable[[Intent], None],
        on_state: Callable[[str], None] = lambda state: None,
    ) -> None:
        self._open_recognizer = open_recognizer
        self._open_source = open_source
        self._phrases = phrases
        self._on_intent = on_intent
        self._on_state = on_state
        self._lock = threading.Lock()
        self._context: str | None = None
        self._changed = threading.Event()
        super().__init__()

    def _wake(self) -> None:
        self._changed.set()

    def listen(self, context: str | None) -> None:
        """Listen for ``context``'s commands from now on; None pauses listening."""
        with self._lock:
            self._context = context
        self._changed.set()

    def _run(self) -> None:
        try:
            recognizer = self._open_recognizer()
            source = self._open_source()
        except KioskError as error:
            log.info("voice commands off: %s", error.message)
            self._on_state("unavailable")
            return
        grammars = {name: build_grammar(_all(p), recognizer.knows) for name, p in self._phrases.items()}
        matchers = {name: IntentMatcher(p) for name, p in self._phrases.items()}
        self._on_state("ready")
        try:
            while not self._stop.is_set():
                self._changed.clear()
                with self._lock:
                    context = self._context
                if context is None:
                    self._on_state("paused")
                    self._changed.wait()
                    continue
                self._on_state("listening")
                self._hear(recognizer, source, grammars[context], matchers[context])
        finally:
            source.close()

    def _hear(self, recognizer: CommandRecognizer, source: AudioSource, grammar: Grammar, matcher: IntentMatcher):
        utterance = recognizer.session(grammar)
        while not self._changed.is_set():
            chunk = source.read(timeout=0.2)
            if chunk is None:
                continue
            text = utterance.feed(chunk)
            if text:
                intent = matcher.match(text)
                if intent is not None:
                    self._on_intent(intent)
                utterance = recognizer.session(grammar)


def _all(intents: dict[str, list[str]]) -> list[str]:
    return [phrase for phrases in intents.values() for phrase in phrases]
