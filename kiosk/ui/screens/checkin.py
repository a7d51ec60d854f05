"""Check-in screens: choose card or face, the card prompt, the face preview, the volunteer's
attestation, and the welcome."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from kiosk.app.face_words import LOOK_HERE
from kiosk.ui.action_picture import ActionPicture
from kiosk.ui.camera_view import CameraView
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.staff import PinScreen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel, icon
from kiosk.voice.lines import Free, phrase, text_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.session import Person
    from kiosk.voice.lines import Spoken

CHOOSE = "checkin"
CARD = "checkin.card"
FACE = "checkin.face"
ATTEST = "checkin.attest"
WELCOME = "checkin.done"
FLASH_FRAME_MM = 14  # the lit frame around the preview: the wider, the stronger the face's reflection
FLASH_EVERY_MS = 16  # the frame follows the flash's 0.1 s cross-fades smoothly

READER_LOST = phrase("screen.checkin.reader_lost", "读卡器没有连好，请叫志愿者看看。")
PUT_CARD = phrase("screen.checkin.put_card", "请把身份证平放在读卡器上，不要拿开。")
CHOOSE_TITLE = phrase("screen.checkin.title", "登记身份")
CHOOSE_PROMPT = phrase("screen.checkin.prompt", "请选一种方式：刷身份证，或者看摄像头。")
CARD_TITLE = phrase("screen.checkin.card_title", "刷身份证")
FACE_TITLE = phrase("screen.checkin.face_title", "看摄像头")
ATTEST_TITLE = phrase("screen.attest.title", "志愿者确认")
ATTEST_ASK = phrase("screen.attest.ask", "请志愿者确认是")
ATTEST_ASK_END = phrase("screen.attest.ask_end", "本人，再输入您的 PIN。")
VILLAGER = phrase("screen.attest.villager", "村民")
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
    """The preview in its lit frame; beside it what to do, in words and as a moving picture."""

    use_card = Signal()
    call_volunteer = Signal()
    attest = Signal()
    retry = Signal()

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, FACE, FACE_TITLE, LOOK_HERE, parent)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.preview = CameraView(theme, frame_mm=FLASH_FRAME_MM)
        row.addWidget(self.preview, stretch=3)
        side = QVBoxLayout()
        side.setSpacing(theme.mm(GAP_MM))
        self.coaching = TextLabel(theme, LOOK_HERE)
        self.coaching.setWordWrap(True)
        # An action's few words are read from a step back, mid-movement; the longer ones at rest.
        self._short_words, self._long_words = theme.label_font(), theme.body_font()
        self.coaching.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        side.addWidget(self.coaching)
        self.picture = ActionPicture(theme)
        side.addWidget(self.picture, stretch=1)
        row.addLayout(side, stretch=2)
        self.column.addLayout(row, stretch=1)
        fallback = QHBoxLayout()
        fallback.setSpacing(theme.mm(GAP_MM))
        self.retry_button = BigButton(theme, "再试一次", CHOICE, icon_name="face_oval")
        self.card_button = BigButton(theme, "用身份证", CHOICE, icon_name="idcard")
        self.volunteer_button = BigButton(theme, "叫志愿者", CHOICE, icon_name="volunteer")
        self.attest_button = BigButton(theme, "志愿者确认", CHOICE, icon_name="person_check")
        self.retry_button.clicked.connect(self.retry)
        self.card_button.clicked.connect(self.use_card)
        self.volunteer_button.clicked.connect(self.call_volunteer)
        self.attest_button.clicked.connect(self.attest)
        self._offers = {"retry": self.retry_button, "card": self.card_button, "volunteer": self.volunteer_button,
                        "attest": self.attest_button}  # fmt: skip
        for button in self._offers.values():
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.hide()
            fallback.addWidget(button)
        self.column.addLayout(fallback)
        self._colour_at: Callable[[float], tuple[int, int, int] | None] | None = None
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_EVERY_MS)
        self._flash.timeout.connect(self._light)

    def coach(
        self, words: Spoken, action: str | None = None, offers: tuple[str, ...] = (), checking: bool = False
    ) -> None:
        """Say what to do; while ``checking``, show the action asked (or a face held still) as a moving
        picture; ``offers``: what else she may do (``retry``, ``card``, ``volunteer``, ``attest``)."""
        self.coaching.setText(text_of(words))
        self.coaching.setFont(self._short_words if checking else self._long_words)
        self.prompt = words
        self.picture.show_action(action)
        self.picture.setVisible(checking)  # else the words have the room
        for name, button in self._offers.items():
            button.setVisible(name in offers)

    def watch(self, colour_at: Callable[[float], tuple[int, int, int] | None] | None) -> None:
        """Light the frame from ``colour_at(time.monotonic())`` while the screen shows (None: stop)."""
        self._colour_at = colour_at
        if colour_at is not None and self.isVisible():
            self._flash.start()
        elif colour_at is None:
            self._flash.stop()
            self.preview.light(None)

    def _light(self) -> None:
        if self._colour_at is not None:
            self.preview.light(self._colour_at(time.monotonic()))

    def showEvent(self, event) -> None:
        if self._colour_at is not None:
            self._flash.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._flash.stop()
        super().hideEvent(event)

    def reset(self) -> None:
        self.watch(None)
        self.preview.clear()
        self.coach(LOOK_HERE)


class AttestScreen(PinScreen):
    """The volunteer signs, by their own PIN, that the villager at the camera is present and alive."""

    def __init__(self, theme: Theme):
        super().__init__(theme)
        self.screen_id = ATTEST
        self.title = ATTEST_TITLE
        self.for_person(None)

    def for_person(self, person: Person | None) -> None:
        said = Free(person.masked_name.replace("*", "某")) if person is not None else VILLAGER
        self._asked = [ATTEST_ASK, said, ATTEST_ASK_END]
        self._shown = f"{ATTEST_ASK}{person.masked_name if person is not None else VILLAGER}{ATTEST_ASK_END}"
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.prompt = self._asked
        self.message.setText(self._shown)


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
