"""The receipt: what was saved, its number to keep, and what happens next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.ui.qr import QrCode
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import TextLabel
from kiosk.voice.lines import phrase, text_of

if TYPE_CHECKING:
    from collections.abc import Sequence

RECEIPT = "receipt"
RECEIPT_TITLE = phrase("screen.receipt.title", "回执")
SAVED = phrase("screen.receipt.saved", "已经保存好了。")
YOUR_NUMBER = phrase("screen.receipt.your_number", "您的回执号是")
SAY_AGAIN = phrase("screen.receipt.say_again", "再说一遍，")
NUMBER = phrase("screen.receipt.number", "回执号")
SUBMITTED = phrase("screen.receipt.submitted", "已提交。")
SENDING = phrase("screen.receipt.sending", "正在送往省里。")
SEND_LATER = phrase("screen.receipt.send_later", "有网络时会马上送到省里。")
PRESS_HOME = phrase("screen.receipt.press_home", "办好了请点「首页」。")


class ReceiptScreen(Screen):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, RECEIPT, RECEIPT_TITLE, "", parent)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        words = QVBoxLayout()
        self.saved = TextLabel(theme, "已经保存好了。您的回执号是：")
        self.number = TextLabel(theme, role="title")
        self.number.setFont(theme.font(14, bold=True))
        self.number.setWordWrap(False)
        for widget in (self.saved, self.number):
            words.addWidget(widget)
        words.addStretch(1)
        row.addLayout(words, stretch=1)
        self.qr = QrCode(theme.mm(34))
        row.addWidget(self.qr, alignment=Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(row)
        self.note = TextLabel(theme, "")
        self.column.addWidget(self.note)
        self.column.addStretch(1)

    def show_receipt(self, receipt: str, service_label: str, online: bool, later: Sequence[str] = ()) -> None:
        """``later``: what happens next that the villager can count on (from the submit use-case)."""
        self.number.setText(receipt)
        self.qr.set_text(receipt)
        note = [service_label, SUBMITTED, SENDING if online else SEND_LATER, *later, PRESS_HOME]
        self.note.setText(text_of(note))
        self.prompt = [SAVED, YOUR_NUMBER, " ", receipt, "。", SAY_AGAIN, NUMBER, " ", receipt, "。", *note]

    def clear(self) -> None:
        self.number.clear()
        self.qr.clear()
        self.note.clear()
        self.prompt = ""
