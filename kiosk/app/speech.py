"""What the app needs from a voice: say a text, stop talking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.voice.lines import Spoken


class Speaker(Protocol):
    def say(self, text: Spoken) -> None: ...

    def stop(self) -> None: ...


class SilentSpeaker:
    """The speaker when no audio device or speech engine is available: the kiosk works by sight."""

    def say(self, text: Spoken) -> None:
        del text

    def stop(self) -> None:
        pass
