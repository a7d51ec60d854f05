"""Slow work on screen: a veil over the whole window saying what is happening, until the work is done.

The veil shows in the same turn of the event loop as the tap that started the work, so the villager
sees and hears an answer at once (DESIGN.md §8: within 100 ms), and it takes every tap while it
shows, so the tap that started the work cannot start it again. A tap on the veil says the line again.
Spoken commands wait too: the veil is the window's modal while it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from kiosk.ui.veil import Veil
from kiosk.ui.widgets import TextLabel

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.lines import Phrase


class BusyVeil(Veil):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window, window.theme, "BusyVeil", (0.7, 0.4), 8)
        self._window = window
        theme = window.theme
        self.words = TextLabel(theme, role="title")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setWordWrap(True)
        self.column.addWidget(self.words)
        self._line: Phrase | None = None

    @property
    def holding(self) -> bool:
        return self._line is not None

    def hold(self, line: Phrase) -> None:
        """Show and say ``line`` over the window until ``release``; a new line replaces the last."""
        self._line = line
        self.words.setText(line)
        self.cover()
        self.show()
        self.raise_()
        self._window.modal = self
        self._window.say(line)

    def release(self) -> None:
        self._line = None
        self.hide()
        if self._window.modal is self:
            self._window.modal = None

    def mousePressEvent(self, event) -> None:
        event.accept()  # nothing behind the veil acts: the work it waits for is started once
        if self._line is not None:
            self._window.say(self._line)
