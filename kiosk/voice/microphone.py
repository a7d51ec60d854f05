"""The microphone: 16 kHz mono 16-bit audio in chunks, from the real device or from files.

- ``Microphone``: the device, captured on PortAudio's own thread (sounddevice).
- ``FileMicrophone``: the simulator. WAV files are heard as if said into the microphone now, at the
  pace of real time (or as fast as they are read, for tests); between them, an empty room's silence.
  ``KIOSK_MICROPHONE`` set to a WAV file or a folder of them plays them in turn, over and over.
- ``SharedMicrophone``: one device heard by everyone at once (the command listener and the 录音 and
  教命令 screens): a sound card's capture is often one stream only. The device opens with the first
  listener and closes with the last; each listener has its own queue of chunks.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.errors import KioskError
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

SAMPLE_RATE = 16_000
CHUNK_BYTES = 8_000  # a quarter second of 16 kHz 16-bit mono
CHUNK_S = CHUNK_BYTES / 2 / SAMPLE_RATE
QUEUED_CHUNKS = 64  # 16 s: a listener further behind than that loses the oldest audio, never lags further


log = logging.getLogger(__name__)
# What the volunteer reads; what PortAudio said goes to the log for the technician.
NO_MICROPHONE = phrase("screen.voice.no_microphone", "找不到麦克风，请检查麦克风是否插好。")


class MicrophoneUnavailable(KioskError):
    pass


class AudioSource(Protocol):
    def read(self, timeout: float = 1.0) -> bytes | None: ...

    def close(self) -> None: ...


class Microphone:
    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except OSError as error:  # the PortAudio library is missing
            log.warning("no sound input library (apt-get install libportaudio2): %s", error)
            raise MicrophoneUnavailable(NO_MICROPHONE) from None
        self.chunks: queue.Queue[bytes] = queue.Queue(maxsize=QUEUED_CHUNKS)
        try:
            self._stream = sounddevice.RawInputStream(
                samplerate=SAMPLE_RATE,
                blocksize=CHUNK_BYTES // 2,
                device=device,
                channels=1,
                dtype="int16",
                callback=self._on_audio,
            )
            self._stream.start()
        except Exception as error:  # PortAudio reports a missing device as a plain Exception subclass
            log.warning("microphone %s would not open: %s", "(default)" if device is None else device, error)
            raise MicrophoneUnavailable(NO_MICROPHONE) from None

    def _on_audio(self, data, frames, time_info, status) -> None:
        with contextlib.suppress(queue.Full):  # the recogniser is behind: drop audio rather than lag further
            self.chunks.put_nowait(bytes(data))

    def read(self, timeout: float = 1.0) -> bytes | None:
        try:
            return self.chunks.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class FileMicrophone:
    def __init__(self, files: Iterable[Path] = (), realtime: bool = True, repeat: bool = False) -> None:
        """``files`` are said one after another (``repeat``: then again from the first); more can be
        said later with ``say``. Each must be a 16 kHz mono 16-bit WAV."""
        self._files = [Path(f) for f in files]
        self._realtime = realtime
        self._repeat = repeat
        self._next_file = 0
        self._pending = bytearray()
        self._lock = threading.Lock()
        self._due = time.monotonic()
        for path in self._files:
            _pcm_of(path)  # refuse a wrong file now, not in the middle of listening

    def say(self, path: Path) -> None:
        """Hear ``path`` as if someone said it into the microphone now."""
        pcm = _pcm_of(Path(path))
        with self._lock:
            self._pending += pcm

    def read(self, timeout: float = 1.0) -> bytes | None:
        with self._lock:
            if not self._pending and self._next_file < len(self._files):
                self._pending += _pcm_of(self._files[self._next_file]) + bytes(CHUNK_BYTES * 4)  # a second's pause
                self._next_file += 1
                if self._repeat and self._next_file == len(self._files):
                    self._next_file = 0
            speech = bool(self._pending)
            chunk = bytes(self._pending[:CHUNK_BYTES]).ljust(CHUNK_BYTES, b"\0")
            del self._pending[:CHUNK_BYTES]
        if speech and not self._realtime:
            return chunk
        wait = self._due - time.monotonic()  # a real microphone hands over a chunk every quarter second
        if wait > timeout:
            time.sleep(timeout)
            return None
        time.sleep(max(0.0, wait))
        self._due = max(self._due, time.monotonic() - CHUNK_S) + CHUNK_S
        return chunk

    def close(self) -> None:
        pass


class SharedMicrophone:
    def __init__(self, open_device: Callable[[], AudioSource]) -> None:
        self._open_device = open_device
        self._lock = threading.Lock()
        self._taps: list[_Tap] = []
        self._pump: threading.Thread | None = None
        self._device: AudioSource | None = None
        self._stopping = threading.Event()

    def open(self) -> AudioSource:
        """A listener of its own; the device opens now if nobody listened (MicrophoneUnavailable if it cannot)."""
        with self._lock:
            if self._device is None:
                self._device = self._open_device()
                self._stopping.clear()
                self._pump = threading.Thread(target=self._run, args=(self._device,), name="microphone", daemon=True)
                self._pump.start()
            tap = _Tap(self._closed)
            self._taps.append(tap)
            return tap

    def _closed(self, tap: _Tap) -> None:
        with self._lock:
            self._taps.remove(tap)
            if self._taps or self._device is None:
                return
            pump, self._pump, self._device = self._pump, None, None
            self._stopping.set()
        pump.join(5)

    def _run(self, device: AudioSource) -> None:
        try:
            while not self._stopping.is_set():
                chunk = device.read(timeout=0.2)
                if chunk is None:
                    continue
                with self._lock:
                    taps = list(self._taps)
                for tap in taps:
                    tap.put(chunk)
        finally:
            device.close()


class _Tap:
    def __init__(self, on_close: Callable[[_Tap], None]) -> None:
        self._chunks: queue.Queue[bytes] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._on_close = on_close
        self._closed = False

    def put(self, chunk: bytes) -> None:
        if self._chunks.full():
            with contextlib.suppress(queue.Empty):
                self._chunks.get_nowait()
        self._chunks.put_nowait(chunk)

    def read(self, timeout: float = 1.0) -> bytes | None:
        try:
            return self._chunks.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._on_close(self)


def microphone_from(setting: str | None) -> Callable[[], AudioSource]:
    """How to open the configured microphone: a device name (none: the system's default), or a WAV
    file or a folder of them for the simulator."""

    def open_device() -> AudioSource:
        if setting and setting.lower().endswith(".wav"):
            return FileMicrophone([Path(setting)], repeat=True)
        if setting and Path(setting).is_dir():
            files = sorted(Path(setting).glob("*.wav"))
            if not files:
                raise MicrophoneUnavailable(f"{setting} 里没有 .wav 文件")
            return FileMicrophone(files, repeat=True)
        return Microphone(setting)

    return open_device


def _pcm_of(path: Path) -> bytes:
    import wave

    try:
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
            if shape != (SAMPLE_RATE, 1, 2):
                raise MicrophoneUnavailable(f"{path.name}：模拟麦克风只收 16 kHz 单声道 16 位的 WAV")
            return wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise MicrophoneUnavailable(f"模拟麦克风读不了 {path}：{error}") from None
