"""办事指南: short guides from the offline cache, read aloud; works with no network at all."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout

from kiosk.app.navigation import service_screen
from kiosk.services.catalogue import Service
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel

GUIDE = "guide"


class GuideListScreen(Screen):
    """The guide service's own first screen: its topics as big buttons."""

    chosen = Signal(dict)

    def __init__(self, theme: Theme, service: Service, guides: list[dict], parent=None):
        super().__init__(theme, service_screen(service.id), service.label, service.prompt, parent)
        grid = QGridLayout()
        grid.setSpacing(theme.mm(GAP_MM))
        self.buttons = []
        for index, guide in enumerate(guides):
            button = BigButton(theme, guide["label"], CHOICE)
            button.clicked.connect(lambda _=False, g=guide: self.chosen.emit(g))
            grid.addWidget(button, index // 2, index % 2)
            self.buttons.append(button)
        self.column.addLayout(grid, stretch=1)


class GuideScreen(Screen):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, GUIDE, "办事指南", "", parent)
        self.text = TextLabel(theme)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.column.addWidget(self.text, stretch=1)

    def show_guide(self, guide: dict) -> None:
        self.title = guide["label"]
        self.prompt = guide["text"]
        self.text.setText(guide["text"])
