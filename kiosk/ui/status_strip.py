"""The volunteers' status strip: network in words (never colour alone), queue length, clock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.app.status import KioskStatus, Network
from kiosk.ui.widgets import TextLabel

if TYPE_CHECKING:
    from kiosk.ui.theme import Theme

NETWORK_WORDS = {Network.ONLINE: "在线", Network.OFFLINE: "离线", Network.UNKNOWN: "连网中"}


def describe(status: KioskStatus, now: datetime) -> str:
    return f"{NETWORK_WORDS[status.network]} · 待发{status.queued} · {now:%H:%M}"


class StatusStrip(QWidget):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(parent)
        self.setObjectName("StatusStrip")
        self._status = KioskStatus()
        layout = QHBoxLayout(self)
        pad = theme.mm(1.5)
        layout.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self.text = TextLabel(theme, role="body")
        self.text.setWordWrap(False)
        layout.addWidget(self.text)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._refresh)
        self._clock.start(15_000)
        self._refresh()

    def set_status(self, status: KioskStatus) -> None:
        self._status = status
        self._refresh()

    def show_fixed(self, status: KioskStatus, now: datetime) -> None:
        """A status and time that stay put: pictures of the kiosk (guides) must not change with the clock."""
        self._clock.stop()
        self._status = status
        self.text.setText(describe(status, now))

    def _refresh(self) -> None:
        self.text.setText(describe(self._status, datetime.now()))
