"""A service's first screen: what the service does and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy

from kiosk.app.navigation import service_screen
from kiosk.app.seller import seller_field
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import Free, phrase

if TYPE_CHECKING:
    from kiosk.app.session import Person
    from kiosk.services.catalogue import Service
    from kiosk.ui.theme import Theme
    from kiosk.voice.lines import Spoken

NEXT = "下一步："  # shown, not said: the hint itself is said
CHECKIN_HINT = phrase("screen.service.checkin_hint", "请把身份证放在读卡器上；没带身份证，请点「登记身份」看摄像头。")
ASSISTED_HINT = phrase("screen.service.assisted_hint", "请志愿者到身边帮您一起填写。")
SELLER_HINT = phrase("screen.service.seller_hint", "卖家请把身份证放在读卡器上，再请志愿者到身边帮您一起填写。")
CHECKED_IN = phrase("screen.service.checked_in", "已登记：")
SELLER = phrase("screen.service.seller", "卖家：")


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
        self.next_step = TextLabel(theme, "")
        self._hint: Spoken = ""
        self._show_hint(CHECKIN_HINT if service.needs_checkin else ASSISTED_HINT)
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

    def spoken_text(self) -> Spoken:
        """The next step is said too: she may read little, and a card placed now is used at once."""
        hint = self._hint if self.next_step.isVisibleTo(self) else []
        return [*super().spoken_text(), *([hint] if isinstance(hint, str) else hint)]

    def _show_hint(self, hint: str, person: Person | None = None) -> None:
        """What to do next; once someone is registered, who (masked; 某 said for the hidden part)."""
        if person is None:
            self._hint = hint
            self.next_step.setText(NEXT + hint)
            return
        self._hint = [hint, Free(person.masked_name.replace("*", "某"))]
        self.next_step.setText(hint + person.masked_name)

    def show_person(self, person: Person | None) -> None:
        waiting = self.service.needs_checkin and person is None
        has_form = bool(self.service.fields)
        self.checkin_button.setVisible(waiting and has_form)
        self.start_button.setVisible(has_form and not waiting)
        if self.service.needs_checkin:
            self._show_hint(CHECKIN_HINT if person is None else CHECKED_IN, person)
        elif self.sells:
            self._show_hint(SELLER_HINT if person is None else SELLER, person)
