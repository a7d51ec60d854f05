"""The session time-out on screen: a warning over the whole window with one button, then home, everything wiped.

The warning is modal: while it shows, a tap anywhere on it counts as 我还在 ("one tap extends"): the
veil over the screen takes the tap, so it never reaches the button behind; spoken commands wait until
the warning is gone.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from kiosk.app.idle import IdleClock, IdleState
from kiosk.ui.veil import Veil
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.app.navigation import Navigator
    from kiosk.ui.theme import Theme
    from kiosk.ui.window import KioskWindow

TOUCHES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
STAY = "我还在，继续办"
STILL_THERE = phrase("screen.idle.still_there", "还在吗？")
BACK_HOME = phrase("screen.idle.back_home", "后回到首页。")
TAP_TO_STAY = phrase("screen.idle.tap_to_stay", f"要继续，请点「{STAY}」。")


class IdleWarning(Veil):
    """A veil over the whole window, the warning and its one button in the middle."""

    tapped = Signal()  # anywhere on the veil or the card: she is there

    def __init__(self, theme: Theme, parent: QWidget):
        super().__init__(parent, theme, "IdleVeil", (0.8, 0.6), 6)
        self.words = TextLabel(theme, role="label")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setWordWrap(True)
        self.column.addWidget(self.words)
        self.stay = BigButton(theme, STAY, CHOICE)
        self.stay.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.column.addWidget(self.stay, stretch=1)

    def mouseReleaseEvent(self, event) -> None:
        event.accept()
        self.tapped.emit()  # on release: hidden on the press, it would let the release fall through


class IdleGuard(QObject):
    def __init__(self, window: KioskWindow, navigator: Navigator, idle: IdleClock, tick_ms: int = 1000) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._idle = idle
        self.warning = IdleWarning(window.theme, window)
        self.warning.stay.clicked.connect(self._extend)
        self.warning.tapped.connect(self._extend)
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
        if event.type() in TOUCHES and not self.warning.isVisible():
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
            self._window.say([STILL_THERE, f"{seconds}秒", BACK_HOME, TAP_TO_STAY])
            self.warning.cover()
            self.warning.show()
            self.warning.raise_()
            self._window.modal = self.warning

    def _hide(self) -> None:
        self.warning.hide()
        if self._window.modal is self.warning:  # not another veil's (slow work on its way)
            self._window.modal = None

    def _extend(self) -> None:
        self._idle.touch()
        self._hide()
