"""首页 in the middle of a form: she is asked before her answers are thrown away.

Going home ends the session and wipes what she filled in (privacy when she leaves), so a finger that
slips onto 首页 would otherwise cost every answer. The question is a veil: nothing behind it acts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.ui.veil import Veil
from kiosk.ui.widgets import CHOICE, NAV, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.ui.window import KioskWindow

ASK = phrase("screen.leave.ask", "回首页的话，已经填的都会清掉。要回首页吗？")
KEEP_ON = phrase("screen.leave.keep_on", "继续填")
LEAVE = phrase("screen.leave.leave", "不办了，回首页")


class LeaveCheck(Veil):
    def __init__(self, window: KioskWindow, leave: Callable[[], None]) -> None:
        super().__init__(window, window.theme, "LeaveVeil", (0.8, 0.6), 6)
        self._window = window
        theme = window.theme
        self.words = TextLabel(theme, ASK, role="label")
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setWordWrap(True)
        self.column.addWidget(self.words)
        row = QHBoxLayout()
        self.keep_on = BigButton(theme, KEEP_ON, CHOICE)
        self.leave = BigButton(theme, LEAVE, NAV, icon_name="home")
        for button in (self.keep_on, self.leave):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            row.addWidget(button)
        self.column.addLayout(row, stretch=1)
        self.keep_on.clicked.connect(self._keep_on)
        self.leave.clicked.connect(lambda: (self.put_away(), leave()))

    def ask(self) -> None:
        self.cover()
        self.show()
        self.raise_()
        self._window.modal = self
        self._window.say([ASK])

    def put_away(self) -> None:
        self.hide()
        if self._window.modal is self:
            self._window.modal = None

    def _keep_on(self) -> None:
        self.put_away()
        self._window.speak_current()
