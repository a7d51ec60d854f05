"""What the app needs from a voice: say a text, stop talking."""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...


class SilentSpeaker:
    """The speaker when no audio device or speech engine is available: the kiosk works by sight."""

    def say(self, text: str) -> None:
        del text

    def stop(self) -> None:
        pass
