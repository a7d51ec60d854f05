"""The home screen: the services as big buttons with large pictures, a big 叫志愿者 in the cell left over,
and a hint that speaking works too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel

from kiosk.app.navigation import HOME
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, HELP, HOME_PICTURE_MM, PictureButton, TextLabel, icon
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.services.catalogue import Catalogue

COLUMNS = 3
EXAMPLES = 2  # services named in the voice hint: enough to show how, short enough for one line
HINT_GAP_MM = 1.5
TOUCH_PROMPT = phrase("screen.home.prompt", "您好！请点您要办的事。")
VOICE_PROMPT = phrase("screen.home.voice_prompt", "您好！请点您要办的事，也可以直接说出来，比如：")


class HomeScreen(Screen):
    def __init__(
        self,
        theme: Theme,
        station: str,
        catalogue: Catalogue,
        open_service: Callable[[str], None],
        call_volunteer: Callable[[], None],
        parent=None,
    ):
        super().__init__(theme, HOME, title=station, prompt=TOUCH_PROMPT, parent=parent)
        self.voice_context = "home"
        self._services = catalogue.services
        self._voice_available = False
        self._examples: list[str] = []  # services it can hear asked for, to name in the hint
        self.column.setSpacing(theme.mm(HINT_GAP_MM))  # the hint is no target: the pictures get the room
        self.column.addLayout(self._voice_hint(theme))
        grid = QGridLayout()
        grid.setSpacing(theme.mm(GAP_MM))
        self.service_buttons: dict[str, PictureButton] = {}
        for index, service in enumerate(catalogue.services):
            button = PictureButton(theme, service.label, CHOICE, service.icon, HOME_PICTURE_MM)
            button.clicked.connect(lambda _=False, sid=service.id: open_service(sid))
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.service_buttons[service.id] = button
        # The bar's own 叫志愿者 makes way for this one on home (KioskWindow).
        self.help_button = PictureButton(theme, "叫志愿者", HELP, "volunteer", HOME_PICTURE_MM)
        self.help_button.clicked.connect(call_volunteer)
        cell = len(catalogue.services)
        grid.addWidget(self.help_button, cell // COLUMNS, cell % COLUMNS)
        self.column.addLayout(grid, stretch=1)

    def _voice_hint(self, theme: Theme) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(theme.mm(2))
        self.mic = QLabel()
        side = theme.mm(8)
        self.mic.setPixmap(icon("microphone").pixmap(QSize(side, side)))
        row.addWidget(self.mic, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.voice_hint = TextLabel(theme)
        self.voice_hint.setWordWrap(False)
        row.addWidget(self.voice_hint, stretch=1)
        self.set_hearable(None)
        return row

    def set_voice_available(self, available: bool) -> None:
        self._voice_available = available
        self._show_hint()

    def set_hearable(self, intents: frozenset[str] | None) -> None:
        """None: a model hears every service by name; else only the services taught can be asked for."""
        hearable = [s.label for s in self._services if intents is None or s.id in intents]
        self._examples = hearable[:EXAMPLES]
        self.voice_hint.setText("可以直接说：" + "或".join(f"“{label}”" for label in self._examples))
        self._show_hint()

    def _show_hint(self) -> None:
        """No hint, and no mention of speaking, when no service can be asked for by voice."""
        shown = self._voice_available and bool(self._examples)
        self.mic.setVisible(shown)
        self.voice_hint.setVisible(shown)
        named = [part for label in self._examples for part in ("、", label)][1:]
        self.prompt = [VOICE_PROMPT, *named, "。"] if shown else TOUCH_PROMPT
