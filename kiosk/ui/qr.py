"""A QR code drawn with Qt from the qrcode package's matrix (no image library needed)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BORDER = 2  # modules of white around the code: the page around it is light too


class QrCode(QWidget):
    def __init__(self, side_px: int, parent=None) -> None:
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self.set_side(side_px)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_side(self, side_px: int) -> None:
        self.setFixedSize(side_px, side_px)

    def symbol_side(self) -> float:
        """The side of the code's own squares, without the white border around them (pixels)."""
        return self.width() * (len(self._matrix) - 2 * BORDER) / len(self._matrix) if self._matrix else 0.0

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
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        if not self._matrix:
            return
        cell = min(self.width(), self.height()) / len(self._matrix)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(x * cell, y * cell, cell + 0.5, cell + 0.5))
