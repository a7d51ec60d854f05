"""A service's first screen: what the service does and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy

from kiosk.app.navigation import service_screen
from kiosk.app.seller import seller_field
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel

if TYPE_CHECKING:
    from kiosk.app.session import Person
    from kiosk.services.catalogue import Service
    from kiosk.ui.theme import Theme

CHECKIN_HINT = "下一步：请把身份证放在读卡器上；没带身份证，请点「登记身份」看摄像头。"
ASSISTED_HINT = "下一步：请志愿者到身边帮您一起填写。"
SELLER_HINT = "下一步：卖家请把身份证放在读卡器上，再请志愿者到身边帮您一起填写。"


class ServiceIntroScreen(Screen):
    checkin_requested = Signal()
    start_requested = Signal()

    def __init__(self, theme: Theme, service: Service, parent=None):
        super().__init__(theme, service_screen(service.id), title=service.label, prompt=service.prompt, parent=parent)
        self.service = service
        self.pictogram = service.icon
        self.sells = seller_field(service) is not None  # a card on the reader names the seller
        self.description = TextLabel(theme, service.prompt)
        self.description.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.column.addWidget(self.description)
        self.next_step = TextLabel(theme, CHECKIN_HINT if service.needs_checkin else ASSISTED_HINT)
        self.next_step.setVisible(service.needs_checkin or service.volunteer_assisted)
        self.column.addWidget(self.next_step)
        self.column.addStretch(1)
        self.checkin_button = BigButton(theme, "登记身份", CHOICE, icon_name="idcard")
        self.checkin_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.checkin_button.setVisible(service.needs_checkin)
        self.checkin_button.clicked.connect(self.checkin_requested)
        self.column.addWidget(self.checkin_button)
        self.start_button = BigButton(theme, "开始办理", CHOICE, icon_name="continue")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self.start_requested)
        self.column.addWidget(self.start_button)
        self.show_person(None)

    def spoken_text(self) -> str:
        """The next step is said too: she may read little, and a card placed now is used at once."""
        hint = self.next_step.text() if self.next_step.isVisibleTo(self) else ""
        return f"{super().spoken_text()}{hint.removeprefix('下一步：')}"

    def show_person(self, person: Person | None) -> None:
        waiting = self.service.needs_checkin and person is None
        has_form = bool(self.service.fields)
        self.checkin_button.setVisible(waiting and has_form)
        self.start_button.setVisible(has_form and not waiting)
        if self.service.needs_checkin:
            self.next_step.setText(CHECKIN_HINT if person is None else f"已登记：{person.masked_name}")
        elif self.sells:
            self.next_step.setText(SELLER_HINT if person is None else f"卖家：{person.masked_name}")
