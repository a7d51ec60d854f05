"""The live camera picture on screen; frames arrive as QImages made on the camera's own thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.identity.face.frame_colour import NEUTRAL

if TYPE_CHECKING:
    import numpy as np

    from kiosk.ui.theme import Theme


def to_qimage(frame_bgr: np.ndarray) -> QImage:
    """Copy an OpenCV frame into a QImage (on the camera thread, so the GUI thread only paints)."""
    height, width = frame_bgr.shape[:2]
    return QImage(frame_bgr.data, width, height, frame_bgr.strides[0], QImage.Format.Format_BGR888).copy()


class CameraView(QWidget):
    """The camera picture, optionally with a large oval to put the face in and a wide frame around it.

    The frame is the light of the liveness flash: whatever of the widget the picture leaves free,
    and at least ``frame_mm`` all round, is painted in the frame's colour. The wider it is, the more
    of the screen's light falls on the face, and the clearer the reflection the camera sees.
    """

    def __init__(self, theme: Theme, parent=None, oval: bool = True, frame_mm: float = 0.0):
        super().__init__(parent)
        self._image: QImage | None = None
        self._oval = oval
        self._frame = theme.mm(frame_mm) if frame_mm else 0
        self._frame_colour = QColor(*NEUTRAL) if frame_mm else QColor("#2B2B2B")
        self._usual = QColor(self._frame_colour)
        self._pen = QPen(QColor("#FFFFFF"), max(4, theme.mm(1.2)))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(theme.mm(40) + 2 * self._frame, theme.mm(30 if not frame_mm else 20) + 2 * self._frame)

    def light(self, rgb: tuple[int, int, int] | None) -> None:
        """The frame's colour now (None: its usual grey); repainted only when it changes."""
        colour = QColor(*rgb) if rgb is not None else self._usual
        if colour != self._frame_colour:
            self._frame_colour = colour
            self.update()

    @property
    def frame_colour(self) -> QColor:
        return QColor(self._frame_colour)

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self._frame_colour)
        inner = self.rect().adjusted(self._frame, self._frame, -self._frame, -self._frame)
        picture = QRectF(inner)
        if self._image is not None:
            scaled = self._image.scaled(inner.size(), Qt.AspectRatioMode.KeepAspectRatio)
            picture = QRectF(0, 0, scaled.width(), scaled.height())
            picture.moveCenter(QPointF(inner.center()))
            painter.drawImage(picture.topLeft(), scaled)
        elif self._frame:
            painter.fillRect(inner, QColor("#2B2B2B"))
        if not self._oval:
            return
        height = picture.height() * 0.8
        oval = QRectF(0, 0, height * 0.75, height)
        oval.moveCenter(picture.center())
        painter.setPen(self._pen)
        painter.drawEllipse(oval)
