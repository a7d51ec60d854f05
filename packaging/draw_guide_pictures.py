"""Draw the pictures of the shipped step guides with the kiosk's own icons and shapes.

    python packaging/draw_guide_pictures.py

Writes offline_cache/guides/GUIDE/N.png (1280x720) for the guides written by hand in
offline_cache/guides.json; the "how to do it here" guides are made from the screens themselves
by ``kiosk guides build``. Each picture is a few of the kiosk's icons on its blue discs, joined by
arrows, with the plain shapes below (a calendar, a house, a keypad, a receipt, a field, a card).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen
from PySide6.QtSvg import QSvgRenderer

from kiosk.guides.marks import hand
from kiosk.paths import assets_dir, offline_cache_dir
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.theme import Colours

if TYPE_CHECKING:
    from collections.abc import Callable

WIDTH, HEIGHT = 1280, 720
C = Colours()
INK, BLUE, PAGE, GREEN, RED = QColor(C.text), QColor(C.primary), QColor("#FFFFFF"), QColor("#1E6B2E"), QColor(C.help)
FAMILY = ""


def pen(colour: QColor = INK, width: float = 10) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


def text(p: QPainter, rect: QRectF, words: str, size: int, colour: QColor = INK, bold: bool = True) -> None:
    font = QFont(FAMILY)
    font.setPixelSize(size)
    font.setBold(bold)
    p.setFont(font)
    p.setPen(colour)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, words)


def badge(p: QPainter, name: str, cx: float, cy: float, size: float = 260) -> None:
    """One of the kiosk's icons, white on its blue disc."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawEllipse(QPointF(cx, cy), size / 2, size / 2)
    inner = size * 0.62
    QSvgRenderer(str(assets_dir() / "icons" / f"{name}.svg")).render(
        p, QRectF(cx - inner / 2, cy - inner / 2, inner, inner)
    )


def arrow(p: QPainter, x1: float, y: float, x2: float) -> None:
    p.setPen(pen(INK, 14))
    p.drawLine(QPointF(x1, y), QPointF(x2, y))
    p.drawLine(QPointF(x2, y), QPointF(x2 - 40, y - 36))
    p.drawLine(QPointF(x2, y), QPointF(x2 - 40, y + 36))


def check(p: QPainter, cx: float, cy: float, size: float = 200) -> None:
    p.setPen(pen(GREEN, 16))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(cx, cy), size / 2, size / 2)
    s = size / 2
    path = QPainterPath(QPointF(cx - s * 0.5, cy + s * 0.02))
    path.lineTo(cx - s * 0.1, cy + s * 0.4)
    path.lineTo(cx + s * 0.55, cy - s * 0.4)
    p.setPen(pen(GREEN, 22))
    p.drawPath(path)


def cross(p: QPainter, cx: float, cy: float, size: float = 120) -> None:
    s = size / 2
    p.setPen(pen(RED, 22))
    p.drawLine(QPointF(cx - s, cy - s), QPointF(cx + s, cy + s))
    p.drawLine(QPointF(cx - s, cy + s), QPointF(cx + s, cy - s))


def calendar(p: QPainter, rect: QRectF, months: range) -> None:
    """Twelve months on a wall calendar, the ones that matter filled in blue."""
    p.setPen(pen(INK, 8))
    p.setBrush(PAGE)
    p.drawRoundedRect(rect, 18, 18)
    top = rect.top() + rect.height() * 0.18
    p.setBrush(INK)
    p.drawRect(QRectF(rect.left(), rect.top(), rect.width(), top - rect.top()))
    for x in (rect.left() + rect.width() * 0.25, rect.right() - rect.width() * 0.25):
        p.setPen(pen(PAGE, 10))
        p.drawLine(QPointF(x, rect.top() - 18), QPointF(x, rect.top() + 24))
    cell_w, cell_h = rect.width() / 4, (rect.bottom() - top) / 3
    for month in range(1, 13):
        cell = QRectF(rect.left() + (month - 1) % 4 * cell_w, top + (month - 1) // 4 * cell_h, cell_w, cell_h)
        inner = cell.adjusted(10, 10, -10, -10)
        if month in months:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BLUE)
            p.drawRoundedRect(inner, 12, 12)
        text(p, inner, str(month), int(cell_h * 0.5), PAGE if month in months else INK)


def house(p: QPainter, rect: QRectF) -> None:
    p.setPen(pen(INK, 10))
    p.setBrush(PAGE)
    roof = QPainterPath(QPointF(rect.left() - 20, rect.top() + rect.height() * 0.42))
    roof.lineTo(rect.center().x(), rect.top())
    roof.lineTo(rect.right() + 20, rect.top() + rect.height() * 0.42)
    body = QRectF(rect.left(), rect.top() + rect.height() * 0.38, rect.width(), rect.height() * 0.62)
    p.drawRect(body)
    p.drawPath(roof)
    door = QRectF(body.center().x() - body.width() * 0.13, body.bottom() - body.height() * 0.5,
                  body.width() * 0.26, body.height() * 0.5)  # fmt: skip
    p.drawRect(door)


def kiosk_button(p: QPainter, rect: QRectF, label: str, icon_name: str) -> None:
    """A service button as the home screen draws it, with the hand pressing it."""
    p.setPen(pen(INK, 6))
    p.setBrush(BLUE)
    p.drawRoundedRect(rect, 24, 24)
    side = rect.height() * 0.42
    QSvgRenderer(str(assets_dir() / "icons" / f"{icon_name}.svg")).render(
        p, QRectF(rect.center().x() - side / 2, rect.top() + rect.height() * 0.12, side, side)
    )
    text(p, QRectF(rect.left(), rect.top() + rect.height() * 0.55, rect.width(), rect.height() * 0.4), label, 84, PAGE)
    hand(p, QPointF(rect.right() - rect.width() * 0.08, rect.bottom() - rect.height() * 0.12), 220,
         QRectF(0, 0, WIDTH, HEIGHT))  # fmt: skip


def keypad(p: QPainter, rect: QRectF, shown: str = "") -> None:
    keys = "123456789删0点"
    w, h = rect.width() / 3, rect.height() / 4
    p.setFont(QFont(FAMILY))
    for i, key in enumerate(keys):
        cell = QRectF(rect.left() + i % 3 * w, rect.top() + i // 3 * h, w, h).adjusted(8, 8, -8, -8)
        p.setPen(pen(INK, 6))
        p.setBrush(PAGE)
        p.drawRoundedRect(cell, 14, 14)
        text(p, cell, key, int(h * 0.55))


def receipt(p: QPainter, rect: QRectF) -> None:
    p.setPen(pen(INK, 8))
    p.setBrush(PAGE)
    p.drawRect(rect)
    text(p, QRectF(rect.left(), rect.top() + 20, rect.width(), 90), "回执", 64)
    text(p, QRectF(rect.left(), rect.top() + 110, rect.width(), 70), "K7QM-3XD9", 48)
    import qrcode

    code = qrcode.QRCode(border=0)
    code.add_data("K7QM-3XD9")
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = 160 / len(matrix)
    left, top = rect.center().x() - 80, rect.top() + 210
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(INK)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                p.drawRect(QRectF(left + x * cell, top + y * cell, cell + 0.5, cell + 0.5))


def field(p: QPainter, rect: QRectF) -> None:
    """Farmland: green furrows in a plot."""
    p.setPen(pen(INK, 8))
    p.setBrush(QColor("#E9F2E4"))
    p.drawRect(rect)
    p.setPen(pen(GREEN, 12))
    for k in range(1, 6):
        y = rect.top() + rect.height() * k / 6
        for x in range(int(rect.left()) + 40, int(rect.right()) - 20, 70):
            p.drawLine(QPointF(x, y + 16), QPointF(x + 14, y - 16))
            p.drawLine(QPointF(x + 28, y + 16), QPointF(x + 14, y - 16))


def card(p: QPainter, rect: QRectF, words: str = "社保卡") -> None:
    p.setPen(pen(INK, 8))
    p.setBrush(QColor("#DCE7F3"))
    p.drawRoundedRect(rect, 24, 24)
    chip = QRectF(rect.left() + 40, rect.center().y() - 40, 100, 80)
    p.setBrush(QColor("#C9A43B"))
    p.drawRoundedRect(chip, 10, 10)
    text(p, QRectF(rect.left() + 150, rect.top(), rect.width() - 170, rect.height()), words, 72)


def phone(p: QPainter, cx: float, cy: float) -> None:
    """A mobile phone ringing."""
    body = QRectF(cx - 80, cy - 150, 160, 300)
    p.setPen(pen(INK, 10))
    p.setBrush(PAGE)
    p.drawRoundedRect(body, 24, 24)
    p.drawLine(QPointF(cx - 24, body.bottom() - 30), QPointF(cx + 24, body.bottom() - 30))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r in (130, 180):
        p.drawArc(QRectF(cx - r, cy - r, 2 * r, 2 * r), -35 * 16, 70 * 16)
        p.drawArc(QRectF(cx - r, cy - r, 2 * r, 2 * r), 145 * 16, 70 * 16)


MID = HEIGHT / 2
PICTURES: dict[str, list[Callable[[QPainter], None]]] = {
    "medical_insurance": [
        lambda p: (badge(p, "shield", 380, MID, 320), calendar(p, QRectF(700, 150, 420, 420), range(1, 2))),
        lambda p: calendar(p, QRectF(390, 90, 500, 540), range(9, 13)),
        lambda p: (badge(p, "volunteer", 380, MID, 320), arrow(p, 580, MID, 760), badge(p, "coins", 920, MID, 300)),
        lambda p: (house(p, QRectF(260, 150, 340, 440)), arrow(p, 680, MID, 840), badge(p, "coins", 1000, MID, 280)),
        lambda p: (receipt(p, QRectF(380, 110, 300, 500)), check(p, 900, MID, 260)),
    ],
    "farmland_subsidy": [
        lambda p: (field(p, QRectF(140, 170, 600, 380)), arrow(p, 780, MID, 940), badge(p, "coins", 1090, MID)),
        lambda p: calendar(p, QRectF(390, 90, 500, 540), range(3, 6)),
        lambda p: kiosk_button(p, QRectF(360, 130, 560, 400), "补贴申领", "grain_coins"),
        lambda p: (
            keypad(p, QRectF(200, 120, 390, 480)),
            arrow(p, 640, MID, 800),
            receipt(p, QRectF(860, 110, 300, 500)),
        ),
        lambda p: (badge(p, "coins", 300, MID), arrow(p, 460, MID, 620), card(p, QRectF(680, 200, 480, 300))),
    ],
    "sell_produce": [
        lambda p: badge(p, "basket", 640, MID, 420),
        lambda p: (badge(p, "volunteer", 400, MID, 320), badge(p, "camera", 880, MID, 320)),
        lambda p: (keypad(p, QRectF(430, 100, 420, 520)),),
        lambda p: (badge(p, "basket", 260, MID), arrow(p, 430, MID, 640), phone(p, 940, MID)),
    ],
    "lost_card": [
        lambda p: (
            card(p, QRectF(120, 220, 440, 280), "身份证"),
            cross(p, 520, 230),
            arrow(p, 620, MID, 780),
            house(p, QRectF(860, 170, 300, 400)),
            badge(p, "shield", 1010, 470, 120),
        ),
        lambda p: (card(p, QRectF(300, 220, 440, 280), "身份证"), check(p, 960, MID, 260)),
        lambda p: (badge(p, "volunteer", 400, MID, 320), house(p, QRectF(760, 170, 300, 400))),
    ],
}


def draw(recipe: Callable[[QPainter], None], target: Path) -> None:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(PAGE)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    recipe(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG", 9):
        raise SystemExit(f"cannot write {target}")


def main() -> int:
    global FAMILY
    app = QGuiApplication(sys.argv[:1])
    FAMILY = load_bundled_fonts(assets_dir() / "fonts")
    for guide, recipes in PICTURES.items():
        for number, recipe in enumerate(recipes, start=1):
            draw(recipe, offline_cache_dir() / "guides" / guide / f"{number}.png")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
