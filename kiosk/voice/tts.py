"""Speech as WAV files, made on one thread: the station's recordings where it has them, pyttsx3
(espeak-ng) for the rest, joined into one file the UI plays (and can interrupt).

pyttsx3 is not thread-safe, and on Linux its ``say()`` shells out to a player the kiosk does
not have; so the engine only ever renders files, on the speech thread. Its espeak driver returns
from ``runAndWait`` before the file is written, so each render waits for the engine's own
"finished-utterance" notice. espeak-ng's state (voice, rate, where audio goes) is one per process,
and pyttsx3 resets it whenever it makes a driver (rate back to 200 words a minute) and unhooks the
audio when an old driver is collected (an empty file): so there is one engine per process, kept for
good, every render says its own rate (in the text itself) under one lock, and an empty render is
said again.
What to play comes from the speech planner (kiosk/voice/planner.py); with no voice pack the whole
text is one text-to-speech render, as it always was.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the planner and its registry load on the speech thread, never at start-up
    from kiosk.voice.lines import Spoken

log = logging.getLogger(__name__)

# espeak-ng 1.51 (Debian 12) reads each character's tone number aloud in English with sit/cmn
# ("你 three 好 three"); its Latin-as-pinyin variant reads characters as Mandarin.
DEFAULT_VOICE = "sit/cmn-Latn-pinyin"
DEFAULT_RATE = 120  # words per minute: slower than espeak's 175, for elderly listeners
RENDER_TIMEOUT_S = 30
RENDER_ATTEMPTS = 3
CLIP_CACHE = 128  # prepared recordings kept in memory (a few seconds of audio each)


@dataclass(frozen=True)
class SpeechSettings:
    voice: str = DEFAULT_VOICE
    rate: int = DEFAULT_RATE


Request = tuple[object, Callable[[Path | None], None], int]


class Synthesizer:
    def __init__(
        self,
        out_dir: Path,
        settings: SpeechSettings | None = None,
        open_planner: Callable[[], object | None] | None = None,
        on_segments: Callable[[object, list], None] | None = None,
    ) -> None:
        """``open_planner`` makes the speech planner on the speech thread (it reads the catalogue and
        the pack: not at start-up); ``on_segments`` hears each plan before it is played."""
        self._out_dir = out_dir
        self._settings = settings or SpeechSettings()
        self._open_planner = open_planner
        self._on_segments = on_segments or (lambda spoken, segments: None)
        self._requests: queue.Queue[Request | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._closing = threading.Event()
        self._dropped = 0  # bumped by drop_pending: a render in progress for an older request stops
        self._reload = threading.Event()
        self._clips: OrderedDict[tuple[Path, float], object] = OrderedDict()
        self.planner = None
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

    def render(self, spoken: Spoken, on_done: Callable[[Path | None], None]) -> None:
        """Render on the speech thread (text made fit for the ear there too); ``on_done`` gets the
        WAV file (the caller deletes it) or None."""
        self._requests.put((spoken, on_done, self._dropped))

    def drop_pending(self) -> None:
        """Forget what was asked and not yet rendered, and stop the render under way (the villager has moved on)."""
        self._dropped += 1
        try:
            while True:
                item = self._requests.get_nowait()
                if item is None:
                    self._requests.put(None)
                    return
                item[1](None)
        except queue.Empty:
            pass

    def reload_pack(self) -> None:
        """The pack changed (a line was recorded): plan with it from the next request on."""
        self._reload.set()

    def _run(self) -> None:
        engine = self._start_engine()
        self._load_planner()
        while (item := self._requests.get()) is not None:
            spoken, on_done, asked_at = item
            if self._reload.is_set():
                self._reload.clear()
                self._load_planner()
            if self._closing.is_set() or asked_at != self._dropped:
                on_done(None)
                continue
            try:
                on_done(self._speak(engine, spoken, asked_at))
            except Exception:  # one bad recording must not silence the kiosk for good
                log.exception("speech failed")
                on_done(None)

    def _load_planner(self) -> None:
        if self._open_planner is None:
            return
        try:
            self.planner = self._open_planner()
        except Exception as error:  # a broken pack: speak by text-to-speech alone
            log.warning("voice pack not used: %s", error)
            self.planner = None

    def _speak(self, engine: Espeak | None, spoken, asked_at: int) -> Path | None:
        if self.planner is None:
            text = spoken if isinstance(spoken, str) else "".join(p for p in spoken if isinstance(p, str))
            return self._render(engine, text) if engine is not None else None
        segments = self.planner.plan(spoken)
        self._on_segments(spoken, segments)
        if len(segments) == 1 and segments[0].kind == "tts":
            return self._render(engine, segments[0].text) if engine is not None else None
        return self._joined(engine, segments, asked_at)

    def _joined(self, engine: Espeak | None, segments: list, asked_at: int) -> Path | None:
        from kiosk.voice import audio

        pieces = []
        for segment in segments:
            if asked_at != self._dropped or self._closing.is_set():
                return None
            samples = self._prepared_clip(segment.path) if segment.kind == "clip" else None
            if samples is None:
                rendered = self._render(engine, segment.text) if engine is not None else None
                if rendered is None:
                    continue
                samples = audio.prepared(*audio.read(rendered))
                rendered.unlink(missing_ok=True)
            pieces.append((samples, segment.pause_s))
        if not pieces or asked_at != self._dropped:
            return None
        target = self._target()
        audio.write(target, audio.join(pieces), audio.OUTPUT_RATE)
        return target

    def _prepared_clip(self, path: Path):
        from kiosk.voice import audio

        try:
            key = (path, path.stat().st_mtime)
            if key not in self._clips:
                self._clips[key] = audio.prepared(*audio.read(path))
                if len(self._clips) > CLIP_CACHE:
                    self._clips.popitem(last=False)
        except (OSError, RuntimeError) as error:  # a damaged recording: say that line by text-to-speech
            log.warning("recording %s unreadable: %s", path.name, error)
            return None
        self._clips.move_to_end(key)
        return self._clips[key]

    def _start_engine(self) -> Espeak | None:
        self._out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            engine = Espeak.shared()
        except Exception as error:  # no espeak-ng library, or no such voice: the kiosk works by sight
            log.warning("speech unavailable: %s", error)
            self.available = False
            return None
        self.available = True
        return engine

    def _target(self) -> Path:
        return self._out_dir / f"{uuid.uuid4().hex}.wav"

    def _render(self, engine: Espeak, text: str) -> Path | None:
        from kiosk.voice.normalize import for_speech

        spoken = for_speech(text)
        for _ in range(RENDER_ATTEMPTS):
            target = self._target()
            if engine.render(spoken, target, self._settings) and _has_audio(target):
                return target
            target.unlink(missing_ok=True)
        log.warning("speech render gave no audio %d times", RENDER_ATTEMPTS)
        return None


EMBEDDED = "\x01"  # espeak-ng's embedded-command mark: \x01120S is "speak at 120 words a minute"


class Espeak:
    """The process's one pyttsx3 engine: kept for good (a collected driver unhooks espeak-ng's audio
    for everyone), used under one lock, each render with the voice and rate of whoever asks."""

    _shared: Espeak | None = None
    _making = threading.Lock()

    def __init__(self) -> None:
        import pyttsx3
        import pyttsx3.drivers.espeak

        # Its driver prints "Audio saved to …" on stdout, which would corrupt `kiosk … --json` output.
        pyttsx3.drivers.espeak.print = lambda *args, **kwargs: None
        self._engine = pyttsx3.init("espeak")
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda name, completed: self._finished.set())
        self._lock = threading.Lock()
        self._voice: str | None = None

    @classmethod
    def shared(cls) -> Espeak:
        with cls._making:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def render(self, text: str, target: Path, settings: SpeechSettings) -> bool:
        with self._lock:
            self._finished.clear()
            if settings.voice != self._voice:
                self._engine.setProperty("voice", settings.voice)
                self._voice = settings.voice
            # The rate as espeak-ng's own command at the head of the text: its rate parameter, set between
            # two asynchronous renders, now and then applies one render late (or not at all).
            self._engine.save_to_file(f"{EMBEDDED}{settings.rate}S{text}", str(target))
            self._engine.runAndWait()
            if not self._finished.wait(RENDER_TIMEOUT_S) or not target.exists():
                log.warning("speech render did not finish")
                return False
            return True


def _has_audio(path: Path) -> bool:
    import wave

    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False
