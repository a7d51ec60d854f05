"""One take from the microphone: read on its own thread from 开始 to 停止, its level told as it comes.

The 录音 and 教命令 screens both record this way. The take ends when it is stopped, or by itself
after ``MAX_TAKE_S`` (a volunteer who walked away does not fill the memory).
"""

from __future__ import annotations

import logging
import math
from array import array
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.worker import WorkerThread

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.voice.microphone import AudioSource

log = logging.getLogger(__name__)
MAX_TAKE_S = 30.0
SAMPLE_RATE = 16_000
QUIET_DB = -60.0  # the meter's empty end; 0 dBFS is its full end


def level_of(pcm: bytes) -> float:
    """How loud ``pcm`` is, from 0 (silence, -60 dBFS or less) to 1 (full scale), as a meter shows it."""
    samples = array("h", pcm)
    if not samples:
        return 0.0
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    db = 20 * math.log10(rms) if rms > 0 else QUIET_DB
    return min(1.0, max(0.0, 1 - db / QUIET_DB))


class Capture(WorkerThread):
    thread_name = "capture"

    def __init__(
        self,
        open_source: Callable[[], AudioSource],
        on_level: Callable[[float], None],
        on_done: Callable[[bytes], None],
        on_failed: Callable[[str], None],
        max_s: float = MAX_TAKE_S,
    ) -> None:
        """All three are called on the capture's thread: ``on_done`` with the take's PCM (16 kHz mono
        16-bit) once it is stopped, ``on_failed`` with plain words if the microphone would not open."""
        super().__init__()
        self._open_source = open_source
        self._on_level = on_level
        self._on_done = on_done
        self._on_failed = on_failed
        self._max_bytes = int(max_s * SAMPLE_RATE) * 2

    def _run(self) -> None:
        try:
            source = self._open_source()
        except KioskError as error:
            log.warning("recording without a microphone: %s", error.message)
            self._on_failed(error.message)
            return
        pcm = bytearray()
        try:
            while not self._stop.is_set() and len(pcm) < self._max_bytes:
                chunk = source.read(timeout=0.1)
                if chunk:
                    pcm += chunk
                    self._on_level(level_of(chunk))
        finally:
            source.close()
        self._on_level(0.0)
        self._on_done(bytes(pcm[: self._max_bytes]))
