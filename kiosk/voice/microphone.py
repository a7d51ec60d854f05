"""Microphone capture at 16 kHz mono on PortAudio's own thread (sounddevice), handed over in chunks."""

from __future__ import annotations

import contextlib
import queue

from kiosk.errors import KioskError
from kiosk.voice.recognizer import CHUNK_BYTES, SAMPLE_RATE


class MicrophoneUnavailable(KioskError):
    pass


class Microphone:
    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except OSError as error:  # the PortAudio library is missing
            raise MicrophoneUnavailable(f"没有声音输入库（{error}）：apt-get install libportaudio2") from None
        self.chunks: queue.Queue[bytes] = queue.Queue(maxsize=64)
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
            raise MicrophoneUnavailable(f"打不开麦克风：{error}") from None

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
