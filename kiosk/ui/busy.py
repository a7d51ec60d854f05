"""Slow work on screen: a veil over the whole window saying what is happening, until the work is done.

The veil shows in the same turn of the event loop as the tap that started the work, so the villager
sees and hears an answer at once (DESIGN.md §8: within 100 ms), and it takes every tap while it
shows, so the tap that started the work cannot start it again. A tap on the veil says the line again.
Spoken commands wait too: the veil is the window's modal while it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui.widgets import TextLabel

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.lines import Phrase

VEIL = "rgba(27, 27, 27, 150)"  # the screen behind stays faintly visible: what she sent is still there


class BusyVeil(QWidget):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self._window = window
        theme = window.theme
        self.setObjectName("BusyVeil")
        self.setProperty("veil", True)  # the accessibility audit looks only at what is above the veil
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#BusyVeil {{ background: {VEIL}; }}")
        self.card = QFrame(self)
        self.card.setObjectName("BusyCard")
        self.card.setStyleSheet(
            f"QFrame#BusyCard {{ background: {theme.colours.page}; border: {theme.mm(1)}px solid"
            f" {theme.colours.outline}; border-radius: {theme.mm(3)}px; }}"
        )
        column = QVBoxLayout(self.card)
        pad = theme.mm(8)
        column.setContentsMargins(pad, pad, pad, pad)
        self.words = TextLabel(theme, role="title")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setWordWrap(True)
        column.addWidget(self.words)
        self._line: Phrase | None = None
        window.installEventFilter(self)
        self.hide()

    @property
    def holding(self) -> bool:
        return self._line is not None

    def hold(self, line: Phrase) -> None:
        """Show and say ``line`` over the window until ``release``; a new line replaces the last."""
        self._line = line
        self.words.setText(line)
        self._cover()
        self.show()
        self.raise_()
        self._window.modal = self
        self._window.say(line)

    def release(self) -> None:
        self._line = None
        self.hide()
        if self._window.modal is self:
            self._window.modal = None

    def _cover(self) -> None:
        window = self._window
        self.setGeometry(window.rect())
        width, height = window.width() * 0.7, window.height() * 0.4
        self.card.setGeometry(int((window.width() - width) / 2), int((window.height() - height) / 2), int(width),
                              int(height))  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._cover()
        return False

    def mousePressEvent(self, event) -> None:
        event.accept()  # nothing behind the veil acts: the work it waits for is started once
        if self._line is not None:
            self._window.say(self._line)
