"""The on-screen keyboard: Qt Virtual Keyboard's Pinyin, drawn inside the kiosk's own window.

Qt picks its input method once, when the application starts: ``prefer_on_screen_keyboard`` sets it
(the kiosk's start and the tests' conftest call it before the QApplication). The keyboard itself is a
Qt Quick scene (kiosk/ui/keyboard.qml) in a QQuickWidget, heavy to make, so it is made once, after
the first paint (``preload``) or when first wanted, and shared: a screen that wants it lays out a
``KeyboardSpace``, and the keyboard is laid over that space while it shows. It never belongs to a
screen, so a step that is cleared away never takes the keyboard with it.

Typed text reaches the focused QLineEdit through Qt's input method, as from any keyboard: a
volunteer can type on it, or on a physical keyboard, for the villager.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QStandardPaths, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.errors import KioskError
from kiosk.ui.theme import CHOICE_GLYPH_MM, GAP_MM, TARGET_MM, Theme

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from PySide6.QtQuickWidgets import QQuickWidget

QML = Path(__file__).with_name("keyboard.qml")
KEY_GAP_MM = 1.5  # the least gap that still parts two keys to the eye, on a short panel
GLYPH_OF_KEY = 0.6  # a short key's letter or character at most this share of its height: clear of its border
ROWS = 4  # of keys in the Pinyin layout (keyboard_layouts/zh_CN); the characters Pinyin offers are one more


def prefer_on_screen_keyboard(environ: MutableMapping[str, str] = os.environ) -> None:
    """Before the QApplication is made: Qt Virtual Keyboard as the input method, its panel ours to place
    (without QT_VIRTUALKEYBOARD_DESKTOP_DISABLE it opens a window of its own over the kiosk)."""
    environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")


def _learn_nothing() -> None:
    """Pinyin learns the words typed with it into a user dictionary on disk, in the clear: a seller's
    name would stay there. Where that file would be, a folder stands instead; the engine then works
    from its own dictionary alone and writes nothing."""
    config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    learned = Path(config) / "qtvirtualkeyboard" / "pinyin" / "usr_dict.dat"
    if learned.is_file():
        learned.unlink()
    learned.mkdir(parents=True, exist_ok=True)


class _Glyphs(QObject):
    """Which characters the kiosk's font draws (GB 2312 and the kiosk's own, packaging/build_font_subset.py)."""

    def __init__(self, font: QFont, parent: QObject) -> None:
        super().__init__(parent)
        self._metrics = QFontMetrics(font)

    @Slot(str, result=bool)
    def drawable(self, text: str) -> bool:
        """Drawn by the kiosk's font, and simplified (GB 2312): Pinyin also offers traditional forms."""
        try:
            text.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return all(self._metrics.inFontUcs4(ord(character)) for character in text)


class OnScreenKeyboard(QObject):
    """The one keyboard of the kiosk, laid over whichever ``KeyboardSpace`` is showing."""

    def __init__(self, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._view: QQuickWidget | None = None
        self._space: KeyboardSpace | None = None

    @property
    def loaded(self) -> bool:
        return self._view is not None

    def preload(self) -> None:
        """Make the keyboard now (after the first paint), so the first text step opens at once."""
        self.view()

    def view(self) -> QQuickWidget:
        if self._view is None:
            self._view = self._make_view()
        return self._view

    def _make_view(self) -> QQuickWidget:
        from PySide6.QtQuickWidgets import QQuickWidget

        from kiosk.ui.shell import quiet_qt

        quiet_qt()
        _learn_nothing()
        view = QQuickWidget()
        view.setObjectName("OnScreenKeyboard")
        view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text box keeps the focus: the keys type into it
        view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        view.setClearColor(QColor(self._theme.colours.page))
        view.setSource(QUrl.fromLocalFile(str(QML)))
        if view.status() != QQuickWidget.Status.Ready:
            reasons = "; ".join(error.toString() for error in view.errors())
            raise KioskError(f"屏幕键盘加载不了（{reasons}）：请重新安装软件包（要完整的 PySide6）")
        panel = view.rootObject()
        theme, colours = self._theme, self._theme.colours
        for name, value in {
            "gap": theme.mm(GAP_MM),
            "family": theme.family,
            "glyphs": _Glyphs(theme.font(CHOICE_GLYPH_MM), view),
            "keyColour": colours.primary,
            "keyPressedColour": colours.pressed,
            "textColour": colours.on_primary,
            "backgroundColour": colours.strip,
            "candidateColour": colours.text,
            "candidateBackground": colours.nav,
            "outlineColour": colours.outline,
            "border": max(2, theme.mm(0.6)),
        }.items():
            panel.setProperty(name, value)
        view.hide()
        return view

    def largest_height(self) -> int:
        """Four rows of TARGET_MM keys with their gaps, and a row of the characters Pinyin offers above them."""
        gap = self._theme.mm(GAP_MM)
        return (ROWS + 1) * (self._theme.mm(TARGET_MM) + gap) + gap

    def cover(self, space: KeyboardSpace) -> None:
        """Lay the keyboard over ``space`` (in its window) and let it type into the focused text box.
        The keys are TARGET_MM tall where the space allows; on a short panel the keys and the characters
        offered shrink alike, and the gaps between them faster: a gap only parts the keys to the eye (a tap
        on it still reaches the key beside it), so it gives way first, down to KEY_GAP_MM."""
        view = self.view()
        window = space.window()
        if view.parent() is not window:
            view.setParent(window)
        self._space = space
        height = min(space.height(), self.largest_height())
        scale = height / self.largest_height()
        gap = max(self._theme.mm(KEY_GAP_MM), round(self._theme.mm(GAP_MM) * scale**2))
        row = (height - gap) // (ROWS + 1)
        glyph_mm = min(CHOICE_GLYPH_MM, GLYPH_OF_KEY * (row - gap) / self._theme.px_per_mm)
        view.rootObject().fit(space.width(), row, gap, self._theme.font(glyph_mm, bold=True).pixelSize())
        view.setGeometry(*space.mapTo(window, QPoint(0, 0)).toTuple(), space.width(), height)
        view.raise_()
        view.show()
        QGuiApplication.inputMethod().show()

    def type_letters(self, letters: str) -> None:
        """As if these letter keys were tapped: Pinyin offers its characters for them."""
        self.view().rootObject().typeLetters(letters)

    def uncover(self, space: KeyboardSpace) -> None:
        if self._space is space and self._view is not None:
            self._space = None
            self._view.hide()
            QGuiApplication.inputMethod().hide()


class KeyboardSpace(QWidget):
    """The room a screen keeps for the keyboard: while it shows, the keyboard lies over it.

    ``fitted``: after each laying over, whether the keyboard has its full height (if not, the screen
    may give it more room)."""

    fitted = Signal(bool)

    def __init__(self, keyboard: OnScreenKeyboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keyboard = keyboard
        # Made before any text box takes the focus: the keyboard follows the focus only from its making on.
        keyboard.preload()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMaximumHeight(keyboard.largest_height())
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.Move):
            QTimer.singleShot(0, self, self._cover)  # once the layout has placed the space
        elif kind == QEvent.Type.Hide:
            self.keyboard.uncover(self)
        return False

    def _cover(self) -> None:
        if self.isVisible():
            self.keyboard.cover(self)
            self.fitted.emit(self.height() >= self.keyboard.largest_height())
