"""The receipt: the number she takes home, largest on the screen and centred, its QR code, and what happens next.

One line says plainly whether the request went to the province now or waits for the network: an
offline receipt never reads like an online one. The receipt is opened with only home behind it, so
返回 (pressed or said) goes home, by the 好差评, and never back into the form that was sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.app.submit import Delivery
from kiosk.ui.qr import QrCode
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import TextLabel
from kiosk.voice.lines import phrase, text_of

if TYPE_CHECKING:
    from collections.abc import Sequence

RECEIPT = "receipt"
NUMBER_GLYPH_MM = (28.0, 24.0, 20.0, 16.0, 13.0)  # as large as fits; at the least above every title and label
QR_MM = (42.0, 80.0)  # at the least the code's dark squares (21 of its 25 modules) come to 35 mm
TITLE = phrase("screen.receipt.title", "回执")
SAVED = phrase("screen.receipt.saved", "已经保存好了。")
SAVED_SHORT = phrase("screen.receipt.saved_short", "已经保存。")
YOUR_NUMBER = phrase("screen.receipt.your_number", "您的回执号是")
SAY_AGAIN = phrase("screen.receipt.say_again", "再说一遍，")
NUMBER = phrase("screen.receipt.number", "回执号")
SENT_NOW = phrase("screen.receipt.sent_now", "现在有网络，正在送往省里。")
SEND_LATER = phrase("screen.receipt.send_later", "没有网络，网络恢复后自动送到省里。")
UNANSWERED = phrase("screen.receipt.unanswered", "省里没及时回答，已改为离线办理。")
PRESS_HOME = phrase("screen.receipt.press_home", "办好了请点「首页」。")
DELIVERY_LINES = {Delivery.NOW: SENT_NOW, Delivery.WHEN_ONLINE: SEND_LATER, Delivery.UNANSWERED: UNANSWERED}


class ReceiptScreen(Screen):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, RECEIPT, TITLE, "", parent)
        self._theme = theme
        self.number = TextLabel(theme)
        self.number.setFont(theme.font(NUMBER_GLYPH_MM[-1], bold=True))
        self.number.setWordWrap(False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setMinimumSize(1, 1)  # sized by _fit to the room there is, never holding the window larger
        self.column.addStretch(1)  # the number and the code stand in the middle of the room there is
        self.column.addWidget(self.number, alignment=Qt.AlignmentFlag.AlignHCenter)  # as wide as its words
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.qr = QrCode(theme.mm(QR_MM[0]))
        row.addWidget(self.qr, alignment=Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(theme.mm(GAP_MM / 2))
        self.saved = TextLabel(theme)
        self.delivery = TextLabel(theme, role="label")  # sent now, or when the network returns
        self.delivery.setWordWrap(True)
        self.note = TextLabel(theme)  # what happens after, and the way home
        for label in (self.saved, self.delivery, self.note):
            words.addWidget(label)
        words.addStretch(1)
        row.addLayout(words, stretch=1)
        self.column.addLayout(row)
        self.column.addStretch(1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The number as large as leaves room for the words below it; the code as large as the room allows."""
        theme, width, height = self._theme, self.width(), self.height()
        gap, least, most = theme.mm(GAP_MM), theme.mm(QR_MM[0]), theme.mm(QR_MM[1])
        for glyph_mm in NUMBER_GLYPH_MM:
            self.number.setFont(theme.font(glyph_mm, bold=True))
            hint = self.number.sizeHint()
            room = height - hint.height() - 3 * gap  # the column's spacing: around the number and its row
            fits = hint.width() <= 0.9 * width and max(least, self._words_height(width - least - gap)) <= room
            if fits:
                break
        side = max(least, min(most, room))
        while side > least and self._words_height(width - side - gap) > room:
            side -= theme.mm(2)
        self.qr.set_side(side)

    def _words_height(self, width: int) -> int:
        labels = [label for label in (self.saved, self.delivery, self.note) if not label.isHidden()]
        return sum(label.heightForWidth(width) for label in labels) + self._theme.mm(GAP_MM / 2) * (len(labels) - 1)

    def show_receipt(self, receipt: str, service_label: str, delivery: Delivery, later: Sequence[str] = ()) -> None:
        """``later``: what happens next that the villager can count on (from the submit use-case)."""
        self.number.setText(receipt)
        self.qr.set_text(receipt)
        sent = DELIVERY_LINES[delivery]
        self.saved.setText(text_of([service_label, SAVED_SHORT]))
        self.delivery.setText(sent)
        self.note.setText(text_of(later))
        self.note.setVisible(bool(later))
        self._fit()
        self.prompt = [SAVED, YOUR_NUMBER, " ", receipt, "。", SAY_AGAIN, NUMBER, " ", receipt, "。",
                       service_label, "，", sent, *later, PRESS_HOME]  # fmt: skip

    def clear(self) -> None:
        for label in (self.number, self.saved, self.delivery, self.note):
            label.clear()
        self.qr.clear()
        self.prompt = ""
