"""The accessibility audit: what DESIGN.md §8 demands, checked on a rendered window.

Each check measures what a villager would meet: glyph height from the font actually used,
target sizes and gaps from widget geometry, contrast from the rendered pixels, clipping from
Qt's own size hints.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QScrollBar, QToolButton, QWidget

from kiosk.ui.theme import (
    MIN_CONTRAST,
    MIN_GAP_MM,
    MIN_GLYPH_MM,
    MIN_PICTOGRAM_MM,
    MIN_TARGET_MM,
    REFERENCE_GLYPH,
    Theme,
)
from kiosk.ui.widgets import CHOICE

MAX_CHOICES = 5


def relative_luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rendered_contrast(image: QImage, rect: QRect) -> float:
    """Contrast between the commonest colour in ``rect`` (the background) and the ink on it."""
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1, 2):
        for x in range(rect.left(), rect.right() + 1, 2):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    background = QColor(counts.most_common(1)[0][0])
    enough = max(3, sum(counts.values()) // 500)
    inks = [QColor(rgb) for rgb, n in counts.items() if n >= enough]
    return max(contrast(background, ink) for ink in inks)


def _geometry(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__}「{text}」" if text else type(widget).__name__


def _clipped(widget: QWidget) -> bool:
    if isinstance(widget, QLabel) and widget.wordWrap():
        return widget.heightForWidth(widget.width()) > widget.height()
    hint = widget.sizeHint()
    return hint.width() > widget.width() or hint.height() > widget.height()


def painted_height(button: QToolButton) -> int:
    """How many pixel rows of the button's icon have ink, as drawn at the size the button shows it."""
    if button.icon().isNull() or button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly:
        return 0
    image = button.icon().pixmap(button.iconSize()).toImage()
    columns = range(image.width())
    inked = [y for y in range(image.height()) if any(image.pixelColor(x, y).alpha() > 127 for x in columns)]
    return inked[-1] - inked[0] + 1 if inked else 0


def audit(window: QWidget, theme: Theme) -> list[str]:
    image = window.grab().toImage()
    bounds = window.rect()
    mm = theme.px_per_mm
    problems: list[str] = []
    visible = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    modal = next((w for w in visible if w.property("veil")), None)
    if modal is not None:  # a veil over the screen (the idle warning): she meets only what is on it
        visible = [w for w in visible if w is modal or modal.isAncestorOf(w)]
    buttons = [w for w in visible if isinstance(w, QAbstractButton)]
    for widget in visible:
        where = _geometry(widget, window)
        if isinstance(widget, (QScrollBar, QAbstractScrollArea)):
            problems.append(f"{_name(widget)}: villager screens must not scroll")
        if not bounds.contains(where):
            problems.append(
                f"{_name(widget)} at {where.getRect()} is outside the {bounds.width()}x{bounds.height()} screen"
            )
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        if not text:
            continue
        glyph = QFontMetricsF(widget.font()).tightBoundingRect(REFERENCE_GLYPH).height() / mm
        if glyph < MIN_GLYPH_MM:
            problems.append(f"{_name(widget)}: glyphs {glyph:.1f} mm tall, below {MIN_GLYPH_MM} mm")
        if _clipped(widget):
            problems.append(
                f"{_name(widget)}: text does not fit ({widget.sizeHint().toTuple()} > {widget.size().toTuple()})"
            )
        inset = (
            where.adjusted(*(round(3 * mm) * k for k in (1, 1, -1, -1)))
            if isinstance(widget, QAbstractButton)
            else where
        )
        ratio = rendered_contrast(image, inset.intersected(bounds))
        if ratio < MIN_CONTRAST:
            problems.append(f"{_name(widget)}: contrast {ratio:.1f}:1, below {MIN_CONTRAST}:1")
    for button in buttons:
        if button.property("pictogram"):
            height = painted_height(button) / mm
            if height < MIN_PICTOGRAM_MM:
                problems.append(f"{_name(button)}: picture {height:.1f} mm tall, below {MIN_PICTOGRAM_MM} mm")
        if min(button.width(), button.height()) < MIN_TARGET_MM * mm:
            problems.append(f"{_name(button)}: target {button.width()}x{button.height()} px, below {MIN_TARGET_MM} mm")
    for a, b in combinations(buttons, 2):
        ra, rb = _geometry(a, window), _geometry(b, window)
        gap = max(rb.left() - ra.right(), ra.left() - rb.right(), rb.top() - ra.bottom(), ra.top() - rb.bottom()) - 1
        if gap < MIN_GAP_MM * mm:
            problems.append(f"{_name(a)} and {_name(b)}: {gap / mm:.1f} mm apart, below {MIN_GAP_MM} mm")
    choices = [b for b in buttons if b.property("kind") == CHOICE]
    if len(choices) > MAX_CHOICES:
        problems.append(f"{len(choices)} choices on one screen, at most {MAX_CHOICES}")
    return problems
