"""What a guide's picture draws over a screen: a ring round the button to tap and a pointing hand."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgRenderer

from kiosk.paths import assets_dir

RING = QColor("#E0540B")  # orange: apart from the kiosk's blue, red and ink; the ring's shape is the cue
HALO = QColor("#FFFFFF")
HAND_MM = 40


def mark(image: QImage, target: QRectF, px_per_mm: float) -> None:
    """Ring ``target`` (in ``image``'s pixels) and point into it from below right, clear of a centred label."""
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ring = target.adjusted(*(k * 2.5 * px_per_mm for k in (-1, -1, 1, 1)))
    width = 2.2 * px_per_mm
    edge = width * 1.5  # a button at the screen's edge keeps all of its ring
    ring = ring.intersected(image.rect().toRectF().adjusted(edge, edge, -edge, -edge))
    radius = min(ring.width(), ring.height()) * 0.25
    for colour, extra in ((HALO, 1.6 * px_per_mm), (RING, 0.0)):
        painter.setPen(QPen(colour, width + extra, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(ring, radius, radius)
    tip = QPointF(target.center().x() + target.width() * 0.28, target.center().y() + target.height() * 0.22)
    hand(painter, tip, HAND_MM * px_per_mm, image.rect().toRectF())
    painter.end()


def hand(painter: QPainter, tip: QPointF, size: float, bounds: QRectF) -> None:
    """The pointing hand with its fingertip at ``tip``, kept inside ``bounds``."""
    # The fingertip sits at (22, 4) of the 48x48 drawing.
    left, top = tip.x() - size * 22 / 48, tip.y() - size * 4 / 48
    left = min(max(left, bounds.left()), bounds.right() - size)
    top = min(max(top, bounds.top()), bounds.bottom() - size)
    QSvgRenderer(str(assets_dir() / "icons" / "hand.svg")).render(painter, QRectF(left, top, size, size))
