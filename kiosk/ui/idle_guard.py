"""The session time-out on screen: a warning over the whole window with one button, then home, everything wiped.

The warning is modal: while it shows, only its 我还在 button and the time-out act. A tap anywhere else
lands on the veil over the screen and does nothing (nor does it count as being there: that is what
the button is for), and spoken commands wait until the warning is gone.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QSizePolicy, QVBoxLayout, QWidget

from kiosk.app.idle import IdleClock, IdleState
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.app.navigation import Navigator
    from kiosk.ui.window import KioskWindow

TOUCHES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
STAY = "我还在，继续办"
STILL_THERE = phrase("screen.idle.still_there", "还在吗？")
BACK_HOME = phrase("screen.idle.back_home", "后回到首页。")
TAP_TO_STAY = phrase("screen.idle.tap_to_stay", f"要继续，请点「{STAY}」。")
VEIL = "rgba(27, 27, 27, 150)"  # the screen behind stays faintly visible: she sees what she would lose


class IdleWarning(QWidget):
    """A veil over the whole window, the warning and its one button in the middle."""

    def __init__(self, theme: Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("IdleVeil")
        self.setProperty("veil", True)  # the accessibility audit looks only at what is above the veil
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#IdleVeil {{ background: {VEIL}; }}")
        self.card = QFrame(self)
        self.card.setObjectName("IdleWarning")
        self.card.setStyleSheet(
            f"QFrame#IdleWarning {{ background: {theme.colours.page}; border: {theme.mm(1)}px solid"
            f" {theme.colours.outline}; border-radius: {theme.mm(3)}px; }}"
        )
        column = QVBoxLayout(self.card)
        pad = theme.mm(6)
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(theme.mm(GAP_MM))
        self.words = TextLabel(theme, role="label")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setWordWrap(True)
        column.addWidget(self.words)
        self.stay = BigButton(theme, STAY, CHOICE)
        self.stay.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        column.addWidget(self.stay, stretch=1)
        self.hide()

    def resize_with(self, window: QWidget) -> None:
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.cover(watched)
        return False

    def cover(self, window: QWidget) -> None:
        self.setGeometry(window.rect())
        width, height = window.width() * 0.8, window.height() * 0.6
        self.card.setGeometry(int((window.width() - width) / 2), int((window.height() - height) / 2), int(width),
                              int(height))  # fmt: skip

    def mousePressEvent(self, event) -> None:
        event.accept()  # the veil takes the tap: nothing behind it acts


class IdleGuard(QObject):
    def __init__(self, window: KioskWindow, navigator: Navigator, idle: IdleClock, tick_ms: int = 1000) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._idle = idle
        self.warning = IdleWarning(window.theme, window)
        self.warning.resize_with(window)
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
            self.warning.cover(self._window)
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
