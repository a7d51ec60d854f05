"""Helper mode's 教命令: a speaker agrees, says each command three or more times; 删除声音 by name.

- who (``staff.teach.who``): the speaker's name and the consent, read out, agreed with one tap;
- commands (``staff.teach``): the commands, each with how many sayings the kiosk has of it;
- say (``staff.teach.say``): 「请说：返回」, 开始/停止 for each saying, the meter, 保存 from the third on;
- remove (``staff.teach.remove``): the speakers, one tap and a confirmation removes all of one's voice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSizePolicy

from kiosk.identity.idnumber import mask_name
from kiosk.ui.keyboard import KeyboardSpace
from kiosk.ui.paged_buttons import PagedButtons
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.recording import SAID_GLYPH_MM, START, STOP
from kiosk.ui.take import LevelMeter
from kiosk.ui.theme import GAP_MM, TARGET_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.app.teach import Speaker
    from kiosk.ui.keyboard import OnScreenKeyboard

TEACH_WHO = "staff.teach.who"
TEACH = "staff.teach"
TEACH_SAY = "staff.teach.say"
TEACH_REMOVE = "staff.teach.remove"
MIN_SAYINGS, MAX_SAYINGS = 3, 6
TITLE = phrase("screen.teach.title", "教命令")
CONSENT = phrase(
    "screen.teach.consent",
    "录下的声音只用来让这台终端听懂命令，加密存在这台终端里，不往外送，随时可以删除。说话的人同意，再点「同意」。",
)
CHOOSE = phrase("screen.teach.choose", "选一个命令，请说话的人说三遍以上。")
SAY_PROMPT = phrase("screen.teach.say_prompt", "点「开始」说一遍，说完点「停止」。说够三遍就可以保存。")
WRITE_NAME, WRITTEN = "写名字", "写好了"
REMOVE_TITLE = phrase("screen.teach.remove_title", "删除声音")
REMOVE_PROMPT = phrase("screen.teach.remove_prompt", "点一个名字，删除这个人教过的全部命令。名字后面是录过几段。")


def _row(theme: Theme) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(theme.mm(GAP_MM))
    return row


def _wide(button: BigButton) -> BigButton:
    policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    policy.setRetainSizeWhenHidden(True)
    button.setSizePolicy(policy)
    return button


class TeachWhoScreen(Screen):
    agreed = Signal(str)  # the speaker's name

    def __init__(self, theme: Theme, keyboard: OnScreenKeyboard, parent=None) -> None:
        super().__init__(theme, TEACH_WHO, TITLE, CONSENT, parent)
        self.voice_context = None
        row = _row(theme)
        row.addWidget(TextLabel(theme, "说话人："))
        self.name = QLineEdit()
        self.name.setFont(theme.body_font())
        self.name.setMinimumHeight(theme.mm(TARGET_MM))
        self.name.setMaxLength(20)
        row.addWidget(self.name, stretch=1)
        self.write_button = BigButton(theme, WRITE_NAME, CHOICE)
        self.write_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.write_button.clicked.connect(lambda: self._writing(not self.keyboard.isVisible()))
        row.addWidget(self.write_button)
        self.agree_button = BigButton(theme, "同意", CHOICE, icon_name="continue")
        self.agree_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.agree_button.clicked.connect(lambda: self.agreed.emit(self.name.text().strip()))
        row.addWidget(self.agree_button)
        self.consent = TextLabel(theme, CONSENT)
        self.column.addWidget(self.consent)
        self.column.addLayout(row)
        self.message = TextLabel(theme, "")
        self.column.addWidget(self.message)
        self.keyboard = KeyboardSpace(keyboard)  # the name in Pinyin, as every text step of the kiosk
        self.column.addWidget(self.keyboard, stretch=1)
        self.column.addStretch(0)  # the room the keyboard leaves, and all of it while it is not wanted
        self._writing(False)

    def _writing(self, writing: bool) -> None:
        """The keyboard takes the room of the consent while a name is written: 「写好了」 brings the consent back."""
        for widget in (self.consent, self.message, self.agree_button):
            widget.setVisible(not writing)
        self.keyboard.setVisible(writing)
        self.write_button.setText(WRITTEN if writing else WRITE_NAME)
        if writing:
            self.name.setFocus()  # what the keyboard types goes to the focused box
        else:
            QGuiApplication.inputMethod().commit()  # pinyin still being typed counts as its first character

    def ask(self, name: str) -> None:
        self.name.setText(name)
        self.message.clear()
        self._writing(False)


class TeachScreen(Screen):
    chosen = Signal(str)  # the command

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, TEACH, TITLE, CHOOSE, parent)
        self.voice_context = None
        self._theme = theme
        self.speaker = TextLabel(theme, "")
        self.column.addWidget(self.speaker)
        self.message = TextLabel(theme, "")
        self.message.hide()
        self.column.addWidget(self.message)
        self.grid = PagedButtons(theme)
        self.buttons = self.grid.buttons
        self.column.addLayout(self.grid, stretch=1)

    def show_commands(self, speaker: str, labels: dict[str, str], counts: dict[str, int]) -> None:
        self.speaker.setText(f"说话人：{mask_name(speaker)}（已同意）。数字是已听过的遍数。")
        entries = [
            (f"{label} {counts.get(intent, 0)}", lambda _=False, i=intent: self.chosen.emit(i))
            for intent, label in labels.items()
        ]
        self.grid.show_entries(entries)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class TeachSayScreen(Screen):
    start_stop = Signal()
    save = Signal()

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, TEACH_SAY, TITLE, SAY_PROMPT, parent)
        self.voice_context = None
        self.command = TextLabel(theme, "", role="title")
        self.command.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.command.setFont(theme.font(SAID_GLYPH_MM, bold=True))  # a command is a word or two
        self.column.addWidget(self.command, stretch=1)
        self.meter = LevelMeter(theme)
        self.column.addWidget(self.meter)
        self.status = TextLabel(theme, "")
        self.column.addWidget(self.status)
        row = _row(theme)
        self.start_button = _wide(BigButton(theme, START, CHOICE, icon_name="record"))
        self.save_button = _wide(BigButton(theme, "保存", CHOICE, icon_name="continue"))
        self.start_button.clicked.connect(self.start_stop)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.start_button)
        row.addWidget(self.save_button)
        self.column.addLayout(row)

    def show_command(self, label: str) -> None:
        self.command.setText(f"请说：「{label}」")
        self.meter.reset()
        self.show_state(recording=False, sayings=0, status=SAY_PROMPT)

    def show_state(self, recording: bool, sayings: int, status: str) -> None:
        self.step_label = f"已说好 {sayings} 遍"
        self.start_button.setText(STOP if recording else START)
        self.start_button.setVisible(recording or sayings < MAX_SAYINGS)
        self.save_button.setVisible(not recording and sayings >= MIN_SAYINGS)
        self.status.setText(status)


class TeachRemoveScreen(Screen):
    remove = Signal(str)  # a speaker, confirmed

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, TEACH_REMOVE, REMOVE_TITLE, REMOVE_PROMPT, parent)
        self.voice_context = None
        self._theme = theme
        self.message = TextLabel(theme, "")
        self.column.addWidget(self.message)
        self.grid = PagedButtons(theme)
        self.buttons = self.grid.buttons
        self.column.addLayout(self.grid, stretch=1)
        self._entries: list = []
        row = _row(theme)
        self.confirm_button = _wide(BigButton(theme, "确认删除", CHOICE))
        self.cancel_button = _wide(BigButton(theme, "不删", CHOICE))
        self.confirm_button.clicked.connect(self._confirmed)
        self.cancel_button.clicked.connect(lambda: self._choose(None))
        row.addWidget(self.confirm_button)
        row.addWidget(self.cancel_button)
        self.column.addLayout(row)
        self._chosen: Speaker | None = None

    def show_speakers(self, speakers: list[Speaker], message: str = "") -> None:
        self._entries = [(f"{mask_name(s.name)} {s.templates}", lambda _=False, s=s: self._choose(s)) for s in speakers]
        self.grid.show_entries(self._entries, first_page=True)
        self._choose(None)
        self.message.setText(message or (REMOVE_PROMPT if speakers else "还没有人教过命令。"))

    def _choose(self, speaker: Speaker | None) -> None:
        self._chosen = speaker
        if speaker is not None:
            who = mask_name(speaker.name)
            self.message.setText(f"删除「{who}」的全部 {speaker.templates} 段声音吗？删了就找不回来。")
        self.confirm_button.setVisible(speaker is not None)
        self.cancel_button.setVisible(speaker is not None)
        self.grid.show_entries([] if speaker is not None else self._entries)  # confirming: only the two answers

    def _confirmed(self) -> None:
        if self._chosen is not None:
            self.remove.emit(self._chosen.name)
