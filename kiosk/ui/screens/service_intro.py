"""A service's first screen: what the service does and what comes next."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.app.navigation import service_screen
from kiosk.services.catalogue import Service
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextLabel

CHECKIN_HINT = "下一步：请把身份证放在读卡器上，或者看着摄像头。"
ASSISTED_HINT = "下一步：请志愿者到身边帮您一起填写。"


class ServiceIntroScreen(Screen):
    def __init__(self, theme: Theme, service: Service, parent=None):
        super().__init__(theme, service_screen(service.id), title=service.label, prompt=service.prompt, parent=parent)
        self.description = TextLabel(theme, service.prompt)
        self.description.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.column.addWidget(self.description)
        if service.needs_checkin:
            self.column.addWidget(TextLabel(theme, CHECKIN_HINT))
        elif service.volunteer_assisted:
            self.column.addWidget(TextLabel(theme, ASSISTED_HINT))
        self.column.addStretch(1)
