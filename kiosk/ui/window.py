"""The kiosk window: header, the current screen, and the bar of buttons that never moves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.leave_check import LeaveCheck
from kiosk.ui.status_strip import StatusStrip
from kiosk.ui.theme import (
    BODY_GLYPH_MM,
    CHOICE_GLYPH_MM,
    GAP_MM,
    HEADER_PICTOGRAM_MM,
    LABEL_GLYPH_MM,
    MARGIN_MM,
    TITLE_GLYPH_MM,
    Theme,
)
from kiosk.ui.widgets import HELP, NAV, BigButton, TextLabel, icon
from kiosk.voice.lines import phrase
from kiosk.voice.state import VoiceState

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.navigation import Navigator
    from kiosk.app.speech import Speaker
    from kiosk.ui.screens.base import Screen
    from kiosk.ui.text_entry import Typing
    from kiosk.voice.lines import Spoken

HELP_NOTICE = phrase("screen.bar.help_notice", "已经请志愿者过来了，请稍等。")
HELP_SHOWN = "已叫志愿者，请稍等"
CALLED_SHOWN_MS = 4000  # long enough to read twice, slowly; then the screen is hers again
# An unsteady finger taps twice: a tap this soon after the screen (or its step) changed is the second
# tap of the one before, and must not press what has just appeared where the first one landed.
TAP_GUARD_MS = 350
_PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin}
_RELEASES = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd}
_GUARDED = {*_PRESSES, *_RELEASES, QEvent.Type.TouchUpdate}


class KioskWindow(QWidget):
    help_requested = Signal()
    media_playing = Signal(bool)  # a video plays: the session does not time out and the kiosk does not listen

    def __init__(self, theme: Theme, navigator: Navigator, speaker: Speaker, typing: Typing, parent=None):
        super().__init__(parent)
        # Frameless from the start: set once the screens exist, the flag re-resolves every widget's style
        # (16-25 ms of the start-up, bench/startup.py).
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setObjectName("KioskWindow")
        self.setWindowTitle("村级便民服务")
        self.setStyleSheet(theme.stylesheet())
        self.theme = theme
        self.navigator = navigator
        self.speaker = speaker
        self.typing = typing  # the keyboard and the common answers of every text step
        self.screens: dict[str, Screen] = {}
        self.modal: QWidget | None = None  # over everything (the idle warning): spoken commands wait for it

        outer = QVBoxLayout(self)
        margin = theme.mm(MARGIN_MM)
        outer.setContentsMargins(margin, margin, margin, margin)
        outer.setSpacing(theme.mm(GAP_MM))

        header = QHBoxLayout()
        header.setSpacing(theme.mm(GAP_MM))
        self._header = header
        # The service's picture heads each of its screens, on the blue of its home button.
        self.pictogram = QLabel()
        self.pictogram.setObjectName("HeaderPictogram")
        self.pictogram.setFixedSize(theme.mm(HEADER_PICTOGRAM_MM), theme.mm(HEADER_PICTOGRAM_MM))
        self.pictogram.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pictogram.hide()
        self._pictogram_name = ""
        header.addWidget(self.pictogram, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.title = _Title(theme, self._fit_title)
        self.title.setWordWrap(False)
        self.title.setMinimumWidth(1)  # a long station name steps down a size rather than widen the window
        header.addWidget(self.title, stretch=1)
        self.step = TextLabel(theme)
        self.step.setWordWrap(False)
        header.addWidget(self.step, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.listening = TextLabel(theme, "正在听")
        self.listening.setWordWrap(False)
        self.listening.hide()
        header.addWidget(self.listening, alignment=Qt.AlignmentFlag.AlignVCenter)
        # Helper mode: who operates for whom, in the header where the volunteers' status strip is.
        self.operator_banner = TextLabel(theme)
        self.operator_banner.setObjectName("OperatorBanner")
        self.operator_banner.setWordWrap(False)
        self.operator_banner.hide()
        header.addWidget(self.operator_banner, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.status_strip = StatusStrip(theme)
        header.addWidget(self.status_strip, alignment=Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(header)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, stretch=1)
        outer.addLayout(self._nav_bar(theme))

        self.notice = _Notice(theme, self.stack)  # 叫志愿者's answer: big, in the middle, where she looks
        self.tap_guard = TapGuard(self)
        self.leave_check = LeaveCheck(self, navigator.leave)
        navigator.subscribe(self._show)

    def _nav_bar(self, theme: Theme) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(theme.mm(GAP_MM))
        self.back_button = BigButton(theme, "返回", NAV, icon_name="back")
        self.home_button = BigButton(theme, "首页", NAV, icon_name="home")
        self.repeat_button = BigButton(theme, "再听一遍", NAV, icon_name="speaker")
        self.help_button = BigButton(theme, "叫志愿者", HELP, icon_name="volunteer")
        # Staff only, on home: in the corner where other screens have 叫志愿者 (home has its own, larger), never
        # where 返回 and 首页 are, which a villager taps just as a screen goes home. No villager's choice:
        # body-size words, snug; a small panel has no room for it anywhere else.
        self.staff_button = BigButton(theme, "工作人员", NAV)
        self.staff_button.setFont(theme.body_font())
        self.staff_button.setStyleSheet(f"padding: 0 {theme.mm(1)}px;")
        self.back_button.clicked.connect(self.go_back)
        self.home_button.clicked.connect(self.go_home)
        self.repeat_button.clicked.connect(self.repeat)
        self.help_button.clicked.connect(self.call_volunteer)
        bar.addWidget(self.back_button)
        bar.addWidget(self.home_button)
        bar.addStretch(1)
        bar.addWidget(self.repeat_button)
        corner = QGridLayout()  # 叫志愿者, or on home 工作人员 in its bottom-right corner
        corner.addWidget(self.help_button, 0, 0)
        corner.addWidget(self.staff_button, 0, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        bar.addLayout(corner)
        for button in (self.staff_button, self.back_button, self.home_button, self.repeat_button, self.help_button):
            policy = QSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            policy.setRetainSizeWhenHidden(button in (self.repeat_button, self.help_button))
            button.setSizePolicy(policy)
        return bar

    def show_voice_state(self, state: VoiceState) -> None:
        """The words 正在听 show when it listens; screens mention speaking only when it can hear."""
        for screen in self.screens.values():
            screen.set_voice_available(state != VoiceState.UNAVAILABLE)
        self.listening.setVisible(state == VoiceState.LISTENING)

    def show_hearable(self, intents: frozenset[str] | None) -> None:
        """What can be heard now (None: every command): hints name only those."""
        for screen in self.screens.values():
            screen.set_hearable(intents)

    def show_kiosk(self) -> None:
        """Full screen with no frame: nothing to drag, close or minimise. The geometry is set as well,
        because a bare X kiosk session has no window manager to honour the full-screen request."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def show_windowed(self) -> None:
        """A framed window of a 10-inch panel's size, for a desk."""
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, False)
        self.resize(1280, 800)
        self.show()

    def add_screen(self, screen: Screen) -> None:
        self.screens[screen.screen_id] = screen
        self.stack.addWidget(screen)
        if screen.screen_id == self.navigator.current:
            self._show(screen.screen_id)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        """The largest title size that fits beside the header's other marks (never below body size).

        A title too long even at body size takes the pictogram's place: the words matter more.
        """
        beside = self.pictogram.width() + self._header.spacing()
        full = self.title.width() + (0 if self.pictogram.isHidden() else beside)
        with_picture = bool(self._pictogram_name) and self._title_fits(BODY_GLYPH_MM, full - beside)
        room = full - beside if with_picture else full
        for glyph_mm in (TITLE_GLYPH_MM, LABEL_GLYPH_MM, BODY_GLYPH_MM):
            if self._title_fits(glyph_mm, room):
                break
        self.title.setFont(self.theme.font(glyph_mm, bold=True))
        self.pictogram.setVisible(with_picture)

    def _title_fits(self, glyph_mm: float, room: int) -> bool:
        return QFontMetrics(self.theme.font(glyph_mm, bold=True)).horizontalAdvance(self.title.text()) <= room

    def show_step(self, label: str) -> None:
        """第 2 步 / 共 3 步 in the header on a service's steps, in place of the volunteers' status strip."""
        self.tap_guard.changed()  # every screen, step and page comes through here
        if label != self.step.text():
            self.notice.hide()  # she moved on
        self.step.setText(label)
        self.step.setVisible(bool(label))
        self.status_strip.setVisible(not label and not self.operator_banner.text())

    def go_back(self) -> None:
        if self.current_screen().handle_back():
            self.speak_current()
        else:
            self.navigator.back()

    def go_home(self) -> None:
        """首页, pressed or said: straight home, unless it would throw away answers she has given."""
        if self.current_screen().has_answers():
            self.leave_check.ask()
        else:
            self.navigator.leave()

    def current_screen(self) -> Screen:
        return self.screens[self.navigator.current]

    def speak_current(self) -> None:
        self.say(self.current_screen().spoken_text())

    def repeat(self) -> None:
        """再听一遍, tapped or said."""
        self.say(self.current_screen().text_to_repeat())

    def say(self, text: Spoken) -> None:
        """Speech stops the moment there is something newer to say."""
        self.speaker.stop()
        self.speaker.say(text)

    def refresh_header(self) -> None:
        """The current screen changed its title or step in place."""
        screen = self.current_screen()
        self.title.setText(screen.title)
        self._show_pictogram(screen.pictogram)
        self.show_step(screen.step_label)
        self._fit_title()

    def _show_pictogram(self, name: str) -> None:
        self._pictogram_name = name
        if name:
            inner = self.pictogram.width() - 2 * self.theme.mm(1)
            self.pictogram.setPixmap(icon(name).pixmap(QSize(inner, inner)))
        self.pictogram.setVisible(bool(name))

    def _show(self, screen_id: str) -> None:
        self.leave_check.put_away()  # the time-out took her home, or the screen changed under it
        self.stack.setCurrentWidget(self.screens[screen_id])
        self.notice.hide()
        self.refresh_header()
        at_home = self.navigator.at_home
        self.back_button.setVisible(not at_home)
        self.home_button.setVisible(not at_home)
        self.help_button.setVisible(not at_home)  # home has its own, much larger
        self.staff_button.setVisible(at_home)
        self.speak_current()

    def show_operator(self, text: str) -> None:
        """Helper mode's banner: who is operating, and on whose behalf (empty: no one signed in)."""
        self.operator_banner.setText(text)
        self.operator_banner.setVisible(bool(text))
        self.refresh_header()

    def call_volunteer(self) -> None:
        self.notice.show_for(HELP_SHOWN, CALLED_SHOWN_MS)
        self.tap_guard.changed()
        self.say(HELP_NOTICE)
        self.help_requested.emit()


class TapGuard(QObject):
    """Swallows the kiosk's taps (mouse and touch) for TAP_GUARD_MS after its content changed: one
    mechanism for every button, rather than each screen guarding its own."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._since_change = QElapsedTimer()
        self._swallowing = False  # a swallowed press takes its release with it
        QApplication.instance().installEventFilter(self)

    def changed(self) -> None:
        self._since_change.start()

    def open(self) -> bool:
        """Whether a tap now would reach the kiosk."""
        return not self._since_change.isValid() or self._since_change.elapsed() >= TAP_GUARD_MS

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _GUARDED or not isinstance(watched, QWidget) or not self._window.isAncestorOf(watched):
            return False
        if kind in _PRESSES:
            self._swallowing = not self.open()
        swallow = self._swallowing
        if kind in _RELEASES:
            self._swallowing = False
        return swallow


class _Notice(TextLabel):
    """Large calm words in the middle of the screen for a few seconds; a tap on them puts them away
    (and presses nothing behind)."""

    def __init__(self, theme: Theme, over: QWidget) -> None:
        super().__init__(theme, role="title", parent=over)
        self.setObjectName("Notice")
        self.setFont(theme.font(CHOICE_GLYPH_MM, bold=True))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        c = theme.colours
        self.setStyleSheet(
            f"QLabel#Notice {{ background: {c.strip}; color: {c.text}; border: {theme.mm(1)}px solid {c.outline};"
            f" border-radius: {theme.mm(3)}px; padding: {theme.mm(8)}px; }}"
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        over.installEventFilter(self)  # stays in the middle as the screen is resized
        self.hide()

    def show_for(self, text: str, ms: int) -> None:
        self.setText(text)
        self._place()
        self.show()
        self.raise_()
        self._timer.start(ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        over = self.parentWidget()
        width = int(over.width() * 0.8)
        height = min(self.heightForWidth(width), over.height())
        self.setGeometry((over.width() - width) // 2, (over.height() - height) // 2, width, height)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        event.accept()
        self.hide()


class _Title(TextLabel):
    """The header's title: refitted whenever the header's other marks come or go."""

    def __init__(self, theme: Theme, refit: Callable[[], None]) -> None:
        super().__init__(theme, role="title")
        self._refit = refit

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refit()
