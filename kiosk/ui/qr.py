"""A QR code drawn with Qt from the qrcode package's matrix (no image library needed)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BORDER = 2  # modules of white around the code: the page around it is light too


class QrCode(QWidget):
    def __init__(self, side_px: int, parent=None) -> None:
        """``side_px``: the least side; a screen with room asks for more with ``set_side``."""
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self._side = side_px
        self.setMinimumSize(side_px, side_px)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)

    def set_side(self, side_px: int) -> None:
        self._side = max(side_px, self.minimumWidth())
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def symbol_side(self) -> float:
        """The side of the code's own squares as drawn, without the white border around them (pixels)."""
        side = min(self.width(), self.height())
        return side * (len(self._matrix) - 2 * BORDER) / len(self._matrix) if self._matrix else 0.0

    def set_text(self, text: str) -> None:
        import qrcode  # brings in an image library: only when the first receipt is shown

        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=BORDER)
        code.add_data(text)
        code.make(fit=True)
        self._matrix = code.get_matrix()
        self.update()

    def clear(self) -> None:
        self._matrix = []
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        if not self._matrix:  # no receipt: no empty white square either
            return
        side = min(self.width(), self.height())
        painter.fillRect(0, 0, side, side, QColor("#FFFFFF"))
        cell = side / len(self._matrix)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(x * cell, y * cell, cell + 0.5, cell + 0.5))
