"""Where speech starts and ends, from WebRTC's voice-activity detector (webrtcvad-wheels).

webrtcvad judges each 30 ms frame; on its own it flickers on noise. The endpointer around it starts
an utterance only when most of the last few frames are speech, and ends it after a stretch of
silence, so a cough or a door does not cut a command in two and a hiss does not stretch it.
Why webrtcvad: a small C library with wheels, no model to load, 16 kHz native, microseconds a frame;
silero-vad would bring a neural network runtime for a task the kiosk's quiet room does not need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

RATE = 16_000
FRAME_MS = 30
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2
START_WINDOW = 5  # frames looked at to decide that speech has started…
START_VOICED = 3  # …of which this many must be speech
END_SILENT = 10  # frames of silence that end an utterance (300 ms)
MAX_SECONDS = 6.0  # a command is short: anything longer is talk, not a command


@dataclass(frozen=True)
class Utterance:
    pcm: bytes  # 16 kHz mono 16-bit, from just before the first speech frame to just after the last
    start_s: float
    end_s: float


class Endpointer:
    """Feed 16 kHz mono 16-bit audio in any chunk size; complete utterances come out as they end."""

    def __init__(self, aggressiveness: int = 3) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(aggressiveness)
        self._pending = b""
        self._frames: list[bytes] = []  # the utterance so far, or the last few frames before one
        self._flags: list[bool] = []
        self._first = 0  # frame number of _frames[0]
        self._in_speech = False
        self._draining = False  # after talk too long for a command: wait for silence
        self._silent = 0
        self._last_voiced = 0

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def feed(self, pcm: bytes) -> Iterator[Utterance]:
        data = self._pending + pcm
        usable = len(data) - len(data) % FRAME_BYTES
        self._pending = data[usable:]
        for at in range(0, usable, FRAME_BYTES):
            done = self._frame(data[at : at + FRAME_BYTES])
            if done is not None:
                yield done

    def flush(self) -> Utterance | None:
        """The end of the audio: the utterance still open, if any."""
        done = self._close() if self._in_speech else None
        self._reset()
        self._draining, self._pending = False, b""
        return done

    def _frame(self, frame: bytes) -> Utterance | None:
        voiced = self._vad.is_speech(frame, RATE)
        if self._draining:
            self._silent = 0 if voiced else self._silent + 1
            self._first += 1
            if self._silent >= END_SILENT:
                self._draining, self._silent = False, 0
            return None
        self._frames.append(frame)
        self._flags.append(voiced)
        number = self._first + len(self._frames) - 1
        if not self._in_speech:
            if voiced and sum(self._flags[-START_WINDOW:]) >= START_VOICED:
                self._start()
            elif len(self._frames) > START_WINDOW:
                self._frames.pop(0)
                self._flags.pop(0)
                self._first += 1
            return None
        if voiced:
            self._last_voiced, self._silent = number, 0
        else:
            self._silent += 1
        if self._silent >= END_SILENT:
            done = self._close()
            self._reset()
            return done
        if len(self._frames) * FRAME_MS / 1000 > MAX_SECONDS:
            self._reset()
            self._draining = True
        return None

    def _start(self) -> None:
        # Begin one frame before the first speech frame of the window that started it.
        lead = next(i for i, flag in enumerate(self._flags) if flag)
        drop = max(0, lead - 1)
        del self._frames[:drop], self._flags[:drop]
        self._first += drop
        self._in_speech = True
        self._silent = 0
        self._last_voiced = self._first + len(self._frames) - 1

    def _close(self) -> Utterance:
        keep = self._last_voiced - self._first + 2  # and one frame after the last speech
        frames = self._frames[:keep]
        start = self._first * FRAME_MS / 1000
        return Utterance(b"".join(frames), start, start + len(frames) * FRAME_MS / 1000)

    def _reset(self) -> None:
        self._first += len(self._frames)
        self._frames, self._flags = [], []
        self._in_speech = False
        self._silent = 0


def utterances(pcm: bytes) -> list[Utterance]:
    endpointer = Endpointer()
    found = list(endpointer.feed(pcm))
    last = endpointer.flush()
    return [*found, last] if last is not None else found


def main_utterance(pcm: bytes) -> Utterance | None:
    """The longest utterance in a recording: the command, not a cough before it."""
    found = utterances(pcm)
    return max(found, key=lambda u: len(u.pcm)) if found else None


def speech_span(pcm: bytes) -> tuple[float, float] | None:
    """From the start of the first speech to the end of the last, in seconds."""
    found = utterances(pcm)
    return (found[0].start_s, found[-1].end_s) if found else None
