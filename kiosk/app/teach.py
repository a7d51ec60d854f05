"""Teaching spoken commands in helper mode: a speaker says a command three or more times, with their
consent and the volunteer who took it on record; removed again by speaker.

The same rules as ``kiosk voice teach`` (kiosk/voice/teaching.py); every call opens the store
through the backend, so the UI runs them on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.backend import Backend
    from kiosk.voice.teaching import Taught

NO_NAME = "请写上说话人的名字：以后要删除他的声音，就按这个名字找。"
STAFF_ONLY = "教命令要工作人员先登录。"


@dataclass(frozen=True)
class Speaker:
    name: str
    templates: int


class TeachingDesk:
    def __init__(
        self, backend: Backend, service_ids: list[str], threshold: float, margin: float, taught: Callable[[], None]
    ) -> None:
        """``taught`` is told after every change, so the listener takes the templates up at once."""
        self._backend = backend
        self._service_ids = service_ids
        self._threshold = threshold
        self._margin = margin
        self._taught = taught

    def commands(self) -> list[str]:
        """What can be taught: the services first, then the commands every screen has."""
        from kiosk.voice.teaching import teachable  # speech features load with the first use, not at start-up

        return teachable(self._service_ids)

    def counts(self) -> dict[str, int]:
        """How many recordings each command has, from everyone (nothing decrypted)."""
        return self._backend.store().voices.counts()

    def check(self, pcm: bytes) -> None:
        """One saying of a command: InvalidInput (in plain words) if there is no speech in it."""
        from kiosk.voice.features import speech_features

        speech_features(pcm)

    def teach(self, intent: str, takes: list[bytes], speaker: str) -> Taught:
        """Keep ``takes`` as ``speaker``'s templates of ``intent``: the speaker agreed on screen, to the
        operator signed in, who is kept on record as having taken the consent."""
        from kiosk.voice.teaching import load_templates, teach

        operator = self._operator()
        speaker = speaker.strip()
        if not speaker:
            raise InvalidInput(NO_NAME)
        voices = self._backend.store().voices
        existing = load_templates(voices, self._threshold, self._margin)
        taught = teach(voices, intent, takes, speaker, True, self.commands(), existing, volunteer=operator)
        self._taught()
        return taught

    def _operator(self) -> str:
        operator = self._backend.operator
        if operator is None:
            raise KioskError(STAFF_ONLY)
        return operator.name

    def speakers(self) -> list[Speaker]:
        counted: dict[str, int] = {}
        for template in self._backend.store().voices.all():
            counted[template.speaker] = counted.get(template.speaker, 0) + 1
        return [Speaker(name, count) for name, count in sorted(counted.items())]

    def remove(self, speaker: str) -> int:
        removed = self._backend.store().voices.remove(speaker, volunteer=self._operator())
        self._taught()
        return removed
