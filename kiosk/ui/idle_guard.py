"""The session time-out on screen: a large warning with one button, then home with everything wiped."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QVBoxLayout

from kiosk.app.idle import IdleClock, IdleState
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel

if TYPE_CHECKING:
    from kiosk.app.navigation import Navigator
    from kiosk.ui.window import KioskWindow

TOUCHES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class IdleWarning(QFrame):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("IdleWarning")
        self.setStyleSheet(
            f"QFrame#IdleWarning {{ background: {theme.colours.page}; border: {theme.mm(1)}px solid"
            f" {theme.colours.outline}; border-radius: {theme.mm(3)}px; }}"
        )
        column = QVBoxLayout(self)
        pad = theme.mm(6)
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(theme.mm(GAP_MM))
        self.words = TextLabel(theme, role="label")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.words)
        self.stay = BigButton(theme, "我还在，继续办", CHOICE)
        column.addWidget(self.stay)
        self.hide()


class IdleGuard(QObject):
    def __init__(self, window: KioskWindow, navigator: Navigator, idle: IdleClock, tick_ms: int = 1000) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._idle = idle
        self.warning = IdleWarning(window.theme, window)
        self.warning.stay.clicked.connect(self._extend)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(tick_ms)
        QApplication.instance().installEventFilter(self)
        navigator.subscribe(lambda _screen: self._extend())
        self._watching = False  # a video plays: she is watching, not gone
        window.media_playing.connect(self._media_playing)

    def _media_playing(self, playing: bool) -> None:
        self._watching = playing
        self._extend()  # the time-out counts afresh from the moment the video stops

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in TOUCHES:
            self._idle.touch()
        return False

    def tick(self) -> None:
        if self._navigator.at_home:
            self._hide()
            return
        if self._watching:
            self._extend()
            return
        state = self._idle.state()
        if state == IdleState.EXPIRED:
            self._hide()
            self._navigator.home()
        elif state == IdleState.WARNING:
            self._show(math.ceil(self._idle.seconds_left()))
        else:
            self._hide()

    def _show(self, seconds: int) -> None:
        words = f"还在吗？{seconds} 秒后回到首页，您填的内容会清除。"
        self.warning.words.setText(words)
        if not self.warning.isVisible():
            self._window.say(f"还在吗？{seconds}秒后回到首页。要继续请点屏幕。")
            width, height = self._window.width() * 0.7, self._window.height() * 0.5
            self.warning.setGeometry(
                int((self._window.width() - width) / 2),
                int((self._window.height() - height) / 2),
                int(width),
                int(height),
            )
            self.warning.show()
            self.warning.raise_()

    def _hide(self) -> None:
        self.warning.hide()

    def _extend(self) -> None:
        self._idle.touch()
        self._hide()
