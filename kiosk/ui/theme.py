"""Sizes and colours for elderly eyes and hands, in millimetres on the actual screen.

DESIGN.md §8 sets the floors (glyphs ≥ 7 mm, targets ≥ 20 mm with ≥ 5 mm gaps, contrast ≥ 7:1);
the theme aims a little above each so that rounding to whole pixels never dips below.
Every pixel size is derived from the screen's physical density, so a 10-inch and a 24-inch
kiosk show the same millimetres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetricsF, QScreen

# Floors from DESIGN.md §8: the accessibility audit checks these.
MIN_GLYPH_MM = 7.0
MIN_TARGET_MM = 20.0
MIN_GAP_MM = 5.0
MIN_CONTRAST = 7.0
MIN_PICTOGRAM_MM = 25.0  # the picture on a home button, for those who read little

# What the theme draws with.
BODY_GLYPH_MM = 7.4
LABEL_GLYPH_MM = 8.4
TITLE_GLYPH_MM = 9.5
CHOICE_GLYPH_MM = 11.0
NAV_GLYPH_MM = 8.0
TARGET_MM = 21.0
GAP_MM = 5.5
MARGIN_MM = 3.0
# The box a home button's picture is drawn in: each drawing fills at least 93% of its height.
PICTOGRAM_MM = 27.0
HEADER_PICTOGRAM_MM = 15.0

# Used when the screen does not report a believable physical size (a 21.5-inch 1080p panel).
FALLBACK_DPI = 102.0
PLAUSIBLE_DPI = (60.0, 400.0)

REFERENCE_GLYPH = "国"


@dataclass(frozen=True)
class Colours:
    page: str = "#FBF8F1"
    text: str = "#1B1B1B"
    strip: str = "#E8E2D4"
    primary: str = "#0A3F7A"
    on_primary: str = "#FFFFFF"
    help: str = "#8A1C12"
    on_help: str = "#FFFFFF"
    outline: str = "#1B1B1B"
    nav: str = "#FFFFFF"
    pressed: str = "#3A3A3A"


def screen_dpi(screen: QScreen | None, override: float | None = None) -> float:
    if override:
        return override
    if screen is not None:
        dpi = screen.physicalDotsPerInch()
        if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:
            return dpi
    return FALLBACK_DPI


class Theme:
    def __init__(self, dpi: float, family: str) -> None:
        self.dpi = dpi
        self.family = family
        self.colours = Colours()
        self.px_per_mm = dpi / 25.4
        self._glyph_ratio = _glyph_height_ratio(family)

    def mm(self, millimetres: float) -> int:
        return math.ceil(millimetres * self.px_per_mm)

    def font(self, glyph_mm: float, bold: bool = False) -> QFont:
        """A font whose reference ideograph is at least ``glyph_mm`` tall on this screen."""
        font = QFont(self.family)
        font.setPixelSize(math.ceil(glyph_mm * self.px_per_mm / self._glyph_ratio))
        font.setBold(bold)
        return font

    def body_font(self) -> QFont:
        return self.font(BODY_GLYPH_MM)

    def label_font(self) -> QFont:
        return self.font(LABEL_GLYPH_MM, bold=True)

    def title_font(self) -> QFont:
        return self.font(TITLE_GLYPH_MM, bold=True)

    def stylesheet(self) -> str:
        c = self.colours
        radius = self.mm(2.5)
        border = max(2, self.mm(0.6))
        pad = self.mm(2.5)
        return f"""
            QWidget#KioskWindow, QStackedWidget, QWidget[screen="true"] {{ background: {c.page}; }}
            QLabel {{ color: {c.text}; background: transparent; }}
            QWidget#StatusStrip {{ background: {c.strip}; border-radius: {radius}px; }}
            QLabel#HeaderPictogram {{ background: {c.primary}; border-radius: {radius}px; }}
            QLabel#OperatorBanner {{
                background: {c.strip}; border: {border}px solid {c.outline}; border-radius: {radius}px;
                padding: 0 {pad}px;
            }}
            QToolButton {{
                border-radius: {radius}px; padding: {pad}px;
                border: {border}px solid {c.outline};
            }}
            QToolButton[pictogram="true"] {{ padding: {self.mm(0.8)}px; }}
            QToolButton[kind="choice"] {{ background: {c.primary}; color: {c.on_primary}; }}
            QToolButton[kind="nav"] {{ background: {c.nav}; color: {c.text}; }}
            QToolButton[kind="help"] {{ background: {c.help}; color: {c.on_help}; }}
            QToolButton:pressed {{ background: {c.pressed}; color: #FFFFFF; }}
        """


def _glyph_height_ratio(family: str) -> float:
    probe = QFont(family)
    probe.setPixelSize(200)
    return QFontMetricsF(probe).tightBoundingRect(REFERENCE_GLYPH).height() / 200
