"""Check-in screens: choose card or face, the card prompt, the face preview, and the welcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy

from kiosk.app.face_words import LOOK_HERE
from kiosk.ui.camera_view import CameraView
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel, icon
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.app.session import Person

CHOOSE = "checkin"
CARD = "checkin.card"
FACE = "checkin.face"
WELCOME = "checkin.done"

READER_LOST = phrase("screen.checkin.reader_lost", "读卡器没有连好，请叫志愿者看看。")
PUT_CARD = phrase("screen.checkin.put_card", "请把身份证平放在读卡器上，不要拿开。")
CHOOSE_TITLE = phrase("screen.checkin.title", "登记身份")
CHOOSE_PROMPT = phrase("screen.checkin.prompt", "请选一种方式：刷身份证，或者看摄像头。")
CARD_TITLE = phrase("screen.checkin.card_title", "刷身份证")
FACE_TITLE = phrase("screen.checkin.face_title", "看摄像头")
WELCOME_TITLE = phrase("screen.welcome.title", "登记好了")
ANSWERS_WAITING = phrase("screen.welcome.answers_waiting", "省里有")
ANSWERS_WAITING_END = phrase("screen.welcome.answers_waiting_end", "条给您的结果，要看请点「看结果」。")


class CheckinChoiceScreen(Screen):
    card_chosen = Signal()
    face_chosen = Signal()

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, CHOOSE, CHOOSE_TITLE, CHOOSE_PROMPT, parent)
        self.column.addWidget(TextLabel(theme, self.prompt))
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.card_button = BigButton(theme, "刷身份证", CHOICE, icon_name="idcard")
        self.face_button = BigButton(theme, "看摄像头", CHOICE, icon_name="camera")
        self.card_button.clicked.connect(self.card_chosen)
        self.face_button.clicked.connect(self.face_chosen)
        row.addWidget(self.card_button)
        row.addWidget(self.face_button)
        self.column.addLayout(row, stretch=1)


class CardScreen(Screen):
    """An ID card that keeps moving down onto the reader, so the gesture is shown, not described."""

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, CARD, CARD_TITLE, PUT_CARD, parent)
        self.instruction = TextLabel(theme, PUT_CARD)
        self.column.addWidget(self.instruction)
        self.card = QLabel()
        self.card.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        side = theme.mm(30)
        self._pixmap = icon("idcard_dark").pixmap(QSize(side, side))
        self.card.setPixmap(self._pixmap)
        self.column.addWidget(self.card, stretch=1)
        self._step = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._animate)
        self._drop = theme.mm(4)

    def showEvent(self, event) -> None:
        self._timer.start(120)
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _animate(self) -> None:
        self._step = (self._step + 1) % 16
        offset = min(self._step, 10) * self._drop // 10
        self.card.setContentsMargins(0, offset, 0, 0)

    def show_reader_status(self, status: str) -> None:
        self.instruction.setText(READER_LOST if status == "lost" else PUT_CARD)


class FaceScreen(Screen):
    use_card = Signal()
    call_volunteer = Signal()

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, FACE, FACE_TITLE, LOOK_HERE, parent)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.preview = CameraView(theme)
        row.addWidget(self.preview, stretch=3)
        self.coaching = TextLabel(theme, LOOK_HERE)
        self.coaching.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.coaching, stretch=2)
        self.column.addLayout(row, stretch=1)
        fallback = QHBoxLayout()
        fallback.setSpacing(theme.mm(GAP_MM))
        self.card_button = BigButton(theme, "改刷身份证", CHOICE, icon_name="idcard")
        self.volunteer_button = BigButton(theme, "请志愿者帮忙", CHOICE, icon_name="volunteer")
        self.card_button.clicked.connect(self.use_card)
        self.volunteer_button.clicked.connect(self.call_volunteer)
        for button in (self.card_button, self.volunteer_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.hide()
            fallback.addWidget(button)
        self.column.addLayout(fallback)

    def coach(self, words: str, offer_fallback: bool = False) -> None:
        """Say what to do; after the last failed try, offer the card or the volunteer instead."""
        self.coaching.setText(words)
        self.card_button.setVisible(offer_fallback)
        self.volunteer_button.setVisible(offer_fallback)

    def reset(self) -> None:
        self.preview.clear()
        self.coach(LOOK_HERE)


class WelcomeScreen(Screen):
    proceed = Signal()
    answers_wanted = Signal()

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, WELCOME, WELCOME_TITLE, "", parent)
        self.name = TextLabel(theme, role="title")
        self.id_line = TextLabel(theme)
        self.column.addWidget(self.name)
        self.column.addWidget(self.id_line)
        self.column.addStretch(1)
        self.continue_button = BigButton(theme, "继续", CHOICE, icon_name="continue")
        self.continue_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.continue_button.clicked.connect(self.proceed)
        self.answers_button = BigButton(theme, "看结果", CHOICE, icon_name="book")
        self.answers_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.answers_button.clicked.connect(self.answers_wanted)
        self.answers_button.hide()
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        row.addWidget(self.answers_button)
        row.addWidget(self.continue_button)
        self.column.addLayout(row)
        self._greeting: list[str] = []

    def show_answer_count(self, count: int) -> None:
        """Answers from the province have come back since the person's last visit."""
        self.answers_button.setVisible(count > 0)
        self.answers_button.setText(f"看结果（{count} 条）")
        extra = f"{ANSWERS_WAITING} {count} {ANSWERS_WAITING_END}" if count else ""
        self.prompt = [*self._greeting, extra]

    def show_person(self, person: Person | None) -> None:
        """Only masked data ever reaches the screen; None wipes it."""
        if person is None:
            self.name.clear()
            self.id_line.clear()
            self.show_answer_count(0)
            self._greeting, self.prompt = [], ""
            return
        self.name.setText(f"您好，{person.masked_name}")
        self.id_line.setText(f"身份证号 {person.masked_id}")
        self._greeting = self.prompt = person.greeting
