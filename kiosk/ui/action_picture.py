"""The action asked, shown by a drawn face that does it over and over: blink, turn, open the mouth, nod.

Drawn as in a mirror, like the camera preview beside it: "turn left" is the villager's own left,
so the drawn face turns towards the screen's left, the way her face moves in the preview. Calm
on purpose: one slow movement a cycle (1.6 s), then a rest, and a still face when nothing is asked.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from kiosk.ui.theme import Theme

CYCLE_MS = 1600
MOVING = 0.6  # share of the cycle spent moving; the rest is a pause at rest
FRAME_MS = 40
SKIN, HAIR, LINE, ARROW = QColor("#F0C8A0"), QColor("#4A3426"), QColor("#1B1B1B"), QColor("#0A3F7A")
ACTIONS = ("blink", "turn_left", "turn_right", "open_mouth", "nod")


class ActionPicture(QWidget):
    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.action: str | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)
        self._line = max(3, theme.mm(0.9))
        self.setMinimumSize(theme.mm(35), theme.mm(35))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_action(self, action: str | None) -> None:
        """``action``: an ``Action`` value, or None for a face at rest."""
        if action == self.action:
            return
        self.action = action
        self._clock.restart()
        self._animate()
        self.update()

    def showEvent(self, event) -> None:
        self._animate()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _animate(self) -> None:
        if self.action is not None and self.isVisible():
            if not self._clock.isValid():
                self._clock.start()
            self._timer.start()
        else:
            self._timer.stop()

    def amount(self) -> float:
        """How far into the movement the face is now: 0 at rest, 1 at its fullest."""
        if self.action is None or not self._clock.isValid():
            return 0.0
        into = (self._clock.elapsed() % CYCLE_MS) / CYCLE_MS / MOVING
        return math.sin(math.pi * into) if into < 1 else 0.0

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) * 0.92
        head = QRectF(0, 0, side * 0.62, side * 0.8)
        head.moveCenter(QPointF(self.width() / 2, self.height() / 2))
        draw_face(painter, head, self.action, self.amount(), self._line)


def draw_face(painter: QPainter, head: QRectF, action: str | None, amount: float, line: float) -> None:
    """One frame: the face in ``head`` doing ``action`` ``amount`` of the way (0..1)."""
    w, h = head.width(), head.height()
    turn = {"turn_left": -1, "turn_right": 1}.get(action or "", 0) * amount * 0.2 * w
    drop = amount * 0.1 * h if action == "nod" else 0.0
    eyes_open = 1 - amount * 0.9 if action == "blink" else 1.0
    mouth_open = amount if action == "open_mouth" else 0.0
    outline = QPen(LINE, line)
    painter.setPen(outline)
    painter.setBrush(SKIN)
    painter.drawEllipse(head.adjusted(abs(turn) * 0.25, 0, -abs(turn) * 0.25, 0))
    hair = QPainterPath()
    top = QRectF(head.left(), head.top() - 0.02 * h, w, 0.55 * h)
    hair.moveTo(top.left(), top.center().y())
    hair.arcTo(top, 180, -180)
    hair.quadTo(head.center().x() + turn, top.top() + 0.28 * h, top.left(), top.center().y())
    painter.setBrush(HAIR)
    painter.drawPath(hair)
    cx, cy = head.center().x() + turn, head.center().y() + drop
    eye_w, eye_h = 0.16 * w, 0.09 * h * eyes_open + 0.004 * h
    painter.setBrush(QColor("#FFFFFF") if eyes_open > 0.3 else SKIN)
    for side in (-1, 1):
        eye = QRectF(0, 0, eye_w, eye_h)
        eye.moveCenter(QPointF(cx + side * 0.2 * w, cy - 0.04 * h))
        painter.drawEllipse(eye)
        if eyes_open > 0.3:
            painter.setBrush(LINE)
            pupil = QRectF(0, 0, eye_w * 0.4, eye_h * 0.7)
            pupil.moveCenter(eye.center() + QPointF(turn * 0.15, 0))
            painter.drawEllipse(pupil)
            painter.setBrush(QColor("#FFFFFF"))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawLine(QPointF(cx + turn * 0.3, cy), QPointF(cx + turn * 0.5 - 0.03 * w, cy + 0.12 * h))
    mouth = QRectF(0, 0, 0.3 * w, 0.05 * h + mouth_open * 0.14 * h)
    mouth.moveCenter(QPointF(cx, cy + 0.25 * h + mouth_open * 0.05 * h))
    if mouth_open > 0.1:
        painter.setBrush(QColor("#7A2E2E"))
        painter.drawEllipse(mouth)
    else:
        painter.drawArc(mouth, 200 * 16, 140 * 16)
    _arrow(painter, head, action, line)


def _arrow(painter: QPainter, head: QRectF, action: str | None, line: float) -> None:
    """Which way to move, beside the face: the drawn face alone is easy to miss at a step away."""
    if action not in ("turn_left", "turn_right", "nod"):
        return
    w, h = head.width(), head.height()
    painter.setPen(QPen(ARROW, line * 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.setBrush(ARROW)
    if action == "nod":
        x, top, bottom = head.right() + 0.18 * w, head.center().y() - 0.15 * h, head.center().y() + 0.15 * h
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        tip = QPointF(x, bottom + 0.08 * h)
        wings = (QPointF(x - 0.08 * w, bottom - 0.02 * h), QPointF(x + 0.08 * w, bottom - 0.02 * h))
    else:
        sign = -1 if action == "turn_left" else 1
        edge = head.left() - 0.1 * w if sign < 0 else head.right() + 0.1 * w
        y = head.center().y()
        painter.drawLine(QPointF(edge, y), QPointF(edge + sign * 0.12 * w, y))
        tip = QPointF(edge + sign * 0.22 * w, y)
        base = edge + sign * 0.1 * w
        wings = (QPointF(base, y - 0.07 * h), QPointF(base, y + 0.07 * h))
    painter.setPen(QPen(ARROW, line))
    painter.drawPolygon(QPolygonF([tip, *wings]))
