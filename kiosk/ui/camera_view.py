"""The live camera picture on screen; frames arrive as QImages made on the camera's own thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    import numpy as np

    from kiosk.ui.theme import Theme


def to_qimage(frame_bgr: np.ndarray) -> QImage:
    """Copy an OpenCV frame into a QImage (on the camera thread, so the GUI thread only paints)."""
    height, width = frame_bgr.shape[:2]
    return QImage(frame_bgr.data, width, height, frame_bgr.strides[0], QImage.Format.Format_BGR888).copy()


class CameraView(QWidget):
    """The camera picture, optionally with a large oval to put the face in."""

    def __init__(self, theme: Theme, parent=None, oval: bool = True):
        super().__init__(parent)
        self._image: QImage | None = None
        self._oval = oval
        self._pen = QPen(QColor("#FFFFFF"), max(4, theme.mm(1.2)))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(theme.mm(40), theme.mm(30))

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#2B2B2B"))
        if self._image is not None:
            scaled = self._image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(
                QPointF((self.width() - scaled.width()) / 2, (self.height() - scaled.height()) / 2), scaled
            )
        if not self._oval:
            return
        height = self.height() * 0.8
        oval = QRectF(0, 0, height * 0.75, height)
        oval.moveCenter(QPointF(self.rect().center()))
        painter.setPen(self._pen)
        painter.drawEllipse(oval)
