"""A dimmed cover over the whole window with a card in its middle: nothing behind it acts while it shows.

The idle warning, the slow-work veil and the question before a form is thrown away are all one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui.theme import GAP_MM, Theme

VEIL = "rgba(27, 27, 27, 150)"  # the screen behind stays faintly visible: what she did is still there


class Veil(QWidget):
    def __init__(self, window: QWidget, theme: Theme, name: str, share: tuple[float, float], pad_mm: float) -> None:
        """``share``: the card's width and height as shares of the window's."""
        super().__init__(window)
        self._share = share
        self.setObjectName(name)
        self.setProperty("veil", True)  # the accessibility audit looks only at what is above the veil
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#{name} {{ background: {VEIL}; }}")
        self.card = QFrame(self)
        self.card.setObjectName(f"{name}Card")
        self.card.setStyleSheet(
            f"QFrame#{name}Card {{ background: {theme.colours.page}; border: {theme.mm(1)}px solid"
            f" {theme.colours.outline}; border-radius: {theme.mm(3)}px; }}"
        )
        self.column = QVBoxLayout(self.card)
        pad = theme.mm(pad_mm)
        self.column.setContentsMargins(pad, pad, pad, pad)
        self.column.setSpacing(theme.mm(GAP_MM))
        window.installEventFilter(self)
        self.hide()

    def cover(self) -> None:
        window = self.parentWidget()
        self.setGeometry(window.rect())
        width, height = window.width() * self._share[0], window.height() * self._share[1]
        self.card.setGeometry(int((window.width() - width) / 2), int((window.height() - height) / 2), int(width),
                              int(height))  # fmt: skip

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.cover()
        return False

    def mousePressEvent(self, event) -> None:
        event.accept()  # the veil takes the tap, and so its release: nothing behind it acts
