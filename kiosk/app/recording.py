"""Recording the station's voice pack in helper mode: which lines are still to record, screen by
screen; a take made fit to keep (silence trimmed, loudness matched); kept in the installed pack.

Every call reads or writes the pack folder or the reference files: the UI runs them on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kiosk.app.backend import Backend
    from kiosk.voice.lines import Line, LineRegistry

RATE = 16_000
STAFF_ONLY = "录音要工作人员先登录。"
NO_SPEECH = "没听到说话：请靠近麦克风，再录一次。"
TOO_SHORT_S = 0.15


@dataclass(frozen=True)
class ToRecord:
    """One screen's lines: how many are recorded, and those that are not yet (in the order they are said)."""

    group: str
    recorded: int
    total: int
    missing: tuple[Line, ...]


@dataclass(frozen=True)
class Take:
    wav: bytes  # trimmed and at the pack's loudness: what is kept, and what is played back
    seconds: float


class RecordingDesk:
    def __init__(self, backend: Backend, pack_folder: Path, registry: Callable[[], LineRegistry], dialect: str) -> None:
        """``registry`` gives every line the kiosk speaks (the blocks, the catalogue's, the screens');
        a pack started here is named for ``dialect``; recordings are kept under the signed-in operator's name."""
        self._backend = backend
        self._folder = pack_folder
        self._registry = registry
        self._dialect = dialect

    def dialect(self) -> str:
        from kiosk.voice.pack import VoicePack

        return VoicePack.open(self._folder).dialect or self._dialect

    def to_record(self) -> list[ToRecord]:
        from kiosk.voice.pack import VoicePack

        pack = VoicePack.open(self._folder)
        found = []
        for group, lines in self._registry().groups().items():
            missing = tuple(line for line in lines if pack.clip(line) is None)
            found.append(ToRecord(group, len(lines) - len(missing), len(lines), missing))
        return found

    def prepare(self, pcm: bytes) -> Take:
        """A take as it would be kept; InvalidInput when there is no speech in it."""
        import numpy as np

        from kiosk.voice import audio
        from kiosk.voice.vad import speech_span

        span = speech_span(pcm)
        if span is None or span[1] - span[0] < TOO_SHORT_S:
            raise InvalidInput(NO_SPEECH)
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768
        wav = audio.prepare_recording(samples, RATE)
        kept, rate = audio.read_bytes(wav)
        return Take(wav, len(kept) / rate)

    def keep(self, line: Line, take: Take) -> None:
        """Keep ``take`` as the recording of ``line``, said by the operator signed in."""
        from kiosk.voice.pack import VoicePack

        operator = self._backend.operator
        if operator is None:
            raise KioskError(STAFF_ONLY)
        pack = VoicePack.open(self._folder)
        pack.dialect = pack.dialect or self._dialect
        pack.speaker = pack.speaker or operator.name
        pack.record(line, take.wav, operator.name)
        self._backend.record("voice_line_recorded", key=line.key, operator=operator.name)
