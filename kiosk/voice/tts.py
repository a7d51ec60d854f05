"""Text to speech: one pyttsx3 engine (espeak-ng's Mandarin voice) on one thread, rendering to WAV.

pyttsx3 is not thread-safe, and on Linux its ``say()`` shells out to a player the kiosk does
not have; so the engine lives on its own thread and only ever renders files, which the UI
plays (and can interrupt). Its espeak driver returns from ``runAndWait`` before the file is
written, so each render waits for the engine's own "finished-utterance" notice.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_VOICE = "sit/cmn"
DEFAULT_RATE = 120  # words per minute: slower than espeak's 175, for elderly listeners
RENDER_TIMEOUT_S = 30


@dataclass(frozen=True)
class SpeechSettings:
    voice: str = DEFAULT_VOICE
    rate: int = DEFAULT_RATE


class Synthesizer:
    def __init__(self, out_dir: Path, settings: SpeechSettings | None = None) -> None:
        self._out_dir = out_dir
        self._settings = settings or SpeechSettings()
        self._requests: queue.Queue[tuple[str, Callable[[Path | None], None]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._closing = threading.Event()
        self.available: bool | None = None  # unknown until the engine has started

    def start(self) -> None:
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """End the speech thread and wait for it: a thread caught inside espeak's own code as the
        interpreter exits aborts the whole process ("exception not rethrown")."""
        self._closing.set()
        self.drop_pending()
        self._requests.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def render(self, text: str, on_done: Callable[[Path | None], None]) -> None:
        """Render on the speech thread (text made fit for the ear there too); ``on_done`` gets the
        WAV file (the caller deletes it) or None."""
        self._requests.put((text, on_done))

    def drop_pending(self) -> None:
        """Forget what was asked and not yet rendered (the villager has moved on)."""
        try:
            while True:
                item = self._requests.get_nowait()
                if item is None:
                    self._requests.put(None)
                    return
                item[1](None)
        except queue.Empty:
            pass

    def _run(self) -> None:
        engine, finished = self._start_engine()
        while (item := self._requests.get()) is not None:
            text, on_done = item
            if engine is None or self._closing.is_set():
                on_done(None)
                continue
            on_done(self._render(engine, finished, text))

    def _start_engine(self):
        try:
            import pyttsx3
            import pyttsx3.drivers.espeak

            # Its driver prints "Audio saved to …" on stdout, which would corrupt `kiosk … --json` output.
            pyttsx3.drivers.espeak.print = lambda *args, **kwargs: None
            engine = pyttsx3.init("espeak")
            engine.setProperty("voice", self._settings.voice)
            engine.setProperty("rate", self._settings.rate)
        except Exception as error:  # no espeak-ng library, or no such voice: the kiosk works by sight
            log.warning("speech unavailable: %s", error)
            self.available = False
            return None, None
        finished = threading.Event()
        engine.connect("finished-utterance", lambda name, completed: finished.set())
        self._out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.available = True
        return engine, finished

    def _render(self, engine, finished: threading.Event, text: str) -> Path | None:
        from kiosk.voice.normalize import for_speech

        target = self._out_dir / f"{uuid.uuid4().hex}.wav"
        finished.clear()
        engine.save_to_file(for_speech(text), str(target))
        engine.runAndWait()
        if not finished.wait(RENDER_TIMEOUT_S) or not target.exists():
            log.warning("speech render did not finish")
            return None
        return target
