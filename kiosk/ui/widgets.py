"""The kiosk's building blocks: big buttons and labels sized by the theme."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QLayout, QSizePolicy, QToolButton, QWidget

from kiosk.paths import assets_dir
from kiosk.ui.theme import (
    BODY_GLYPH_MM,
    CHOICE_GLYPH_MM,
    LABEL_GLYPH_MM,
    NAV_GLYPH_MM,
    PICTOGRAM_MM,
    TARGET_MM,
    Theme,
)

CHOICE = "choice"
NAV = "nav"
HELP = "help"
KEY = "key"  # a key of a number pad: outlined like navigation, its digit as large as a choice


_discarded: list[QObject] = []


def clear_layout(layout: QLayout) -> None:
    """Empty a layout now, deleting what was in it: the old step must not linger on screen.

    Qt hands each item taken out of a layout to the caller to delete; left alone, the item holding each
    widget (and each stretch) outlived its step, about 100 bytes a widget, every step of every form.
    """
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            discard(item.widget())
            shiboken6.delete(item)
        elif item.layout() is not None:
            clear_layout(item.layout())
            discard(item.layout())
        else:
            shiboken6.delete(item)


def discard(thing: QWidget | QObject) -> None:
    """Take a widget (or a layout) off the screen now, and delete it once the event loop has turned.

    Not at once: a tapped button often removes itself, inside its own signal. And not by ``deleteLater``:
    PySide 6 keeps about 50 bytes for every wrapped object that Qt deletes on its own side, which over
    a kiosk's months of forms is a leak (bench/soak.py); deleted from Python, nothing stays.
    """
    if isinstance(thing, QWidget):
        thing.hide()
    thing.setParent(None)
    if not _discarded:
        QTimer.singleShot(0, _delete_discarded)
    _discarded.append(thing)


def _delete_discarded() -> None:
    while _discarded:
        thing = _discarded.pop()
        if shiboken6.isValid(thing):
            shiboken6.delete(thing)


@cache
def icon(name: str) -> QIcon:
    """One icon per name for the kiosk's whole life: Qt keeps each icon's rendered pixmaps in its pixmap
    cache under that icon's own key, so a fresh icon for every step (the camera's 拍照) filled the cache
    with copies of one picture."""
    return QIcon(str(assets_dir() / "icons" / f"{name}.svg"))


@dataclass(frozen=True)
class Presentation:
    style: Qt.ToolButtonStyle
    icon_mm: float
    glyph_mm: float


STACKED = Qt.ToolButtonStyle.ToolButtonTextUnderIcon
BESIDE = Qt.ToolButtonStyle.ToolButtonTextBesideIcon

# Largest first; a choice button shows the largest that fits the space the screen gives it.
CHOICE_PRESENTATIONS = (
    Presentation(STACKED, 14, CHOICE_GLYPH_MM),
    Presentation(BESIDE, 12, CHOICE_GLYPH_MM),
    Presentation(BESIDE, 10, LABEL_GLYPH_MM),
)
# A picture for those who read little (home's buttons, the 好差评 faces): as large as the button allows up
# to the caller's largest, never below PICTOGRAM_MM; on a small panel the label moves beside it.
PICTURE_SIZES_MM = (80, 66, 54, 44, 36, 31)
PICTOGRAM_PRESENTATIONS = (
    *(Presentation(STACKED, mm, CHOICE_GLYPH_MM) for mm in PICTURE_SIZES_MM),
    Presentation(STACKED, PICTOGRAM_MM, CHOICE_GLYPH_MM),
    Presentation(STACKED, PICTOGRAM_MM, LABEL_GLYPH_MM),
    Presentation(BESIDE, PICTOGRAM_MM, LABEL_GLYPH_MM),
    Presentation(BESIDE, PICTOGRAM_MM, BODY_GLYPH_MM),
)
HOME_PICTURE_MM = 44
NAV_PRESENTATION = Presentation(BESIDE, 7, NAV_GLYPH_MM)
KEY_PRESENTATION = Presentation(BESIDE, 7, CHOICE_GLYPH_MM)


class BigButton(QToolButton):
    """A single-tap target at least TARGET_MM square.

    ``kind`` decides the colours and whether the button counts as one of the (at most five)
    choices on a villager screen; navigation and help buttons do not.
    """

    def __init__(self, theme: Theme, text: str, kind: str, icon_name: str | None = None, parent=None):
        super().__init__(parent)
        self._theme = theme
        self.setText(text)
        self.setProperty("kind", kind)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        target = theme.mm(TARGET_MM)
        self.setMinimumSize(target, target)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if icon_name:
            self.setIcon(icon(icon_name))
        self._presentations = self._choose_from(kind)
        self._present(self._presentations[-1])

    def _choose_from(self, kind: str) -> tuple[Presentation, ...]:
        return {CHOICE: CHOICE_PRESENTATIONS, KEY: (KEY_PRESENTATION,)}.get(kind, (NAV_PRESENTATION,))

    @property
    def kind(self) -> str:
        return self.property("kind")

    def _present(self, presentation: Presentation) -> None:
        self.setFont(self._theme.font(presentation.glyph_mm, bold=True))
        side = self._theme.mm(presentation.icon_mm)
        self.setIconSize(QSize(side, side))
        self.setToolButtonStyle(
            presentation.style if not self.icon().isNull() else Qt.ToolButtonStyle.ToolButtonTextOnly
        )

    def resizeEvent(self, event) -> None:
        if len(self._presentations) > 1:
            for presentation in self._presentations:
                self._present(presentation)
                hint = self.sizeHint()
                if hint.width() <= event.size().width() and hint.height() <= event.size().height():
                    break
        super().resizeEvent(event)


class PictureButton(BigButton):
    """A big button whose picture speaks for those who read little (home's services, the 好差评 faces): as
    large as the button allows up to ``largest_mm``, and never below PICTOGRAM_MM tall."""

    def __init__(self, theme: Theme, text: str, kind: str, icon_name: str, largest_mm: float, parent=None):
        self._largest_mm = largest_mm
        super().__init__(theme, text, kind, icon_name, parent)
        self.setProperty("pictogram", True)

    def _choose_from(self, kind: str) -> tuple[Presentation, ...]:
        return tuple(p for p in PICTOGRAM_PRESENTATIONS if p.icon_mm <= self._largest_mm)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.toolButtonStyle() == BESIDE:
            # Qt reserves two spaces after a label beside its icon, yet draws the two left-aligned, using none
            # of it: on a small panel that slack alone would push a home label below the size it fits at.
            hint.setWidth(hint.width() - 2 * self.fontMetrics().horizontalAdvance(" "))
        return hint


class TextLabel(QLabel):
    def __init__(self, theme: Theme, text: str = "", role: str = "body", parent=None):
        super().__init__(text, parent)
        fonts = {"body": theme.body_font, "title": theme.title_font, "label": theme.label_font}
        self.setFont(fonts[role]())
        self.setWordWrap(role == "body")
        self.setTextFormat(Qt.TextFormat.PlainText)
