"""A question answered in words, on a touch screen: the station's common answers first, then the keyboard.

The common answers (``[form] common_answers`` in kiosk.toml) are big choices, one tap answers; 「自己输入」
beside them opens the text box and the on-screen keyboard (kiosk/ui/keyboard.py). A field without common
answers opens straight at the keyboard. What is wrong with a typed answer is said in plain words.

Beside the box stands the field's name (取货地点：); where the keyboard would have to shrink to fit (a
10-inch panel), the screen's question gives way to it, so that the keys keep the height of a fingertip;
it comes back wherever the room left below the keyboard would hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from kiosk.services.typed_text import TextProblem, text_problem
from kiosk.ui.keyboard import KeyboardSpace, OnScreenKeyboard
from kiosk.ui.theme import GAP_MM, LABEL_GLYPH_MM, TARGET_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.config import FormConfig
    from kiosk.services.catalogue import Field
    from kiosk.voice.lines import Spoken

OWN_WORDS = "自己输入"
OK = "确定"
TYPE_HINT = phrase("screen.text.type_hint", "请用下面的键盘写，拼音打好后点要的字，写好了点「确定」。")
WRITE = phrase("screen.text.write", "请写上")
THEN_OK = phrase("screen.text.then_ok", "，再点「确定」。")
AT_MOST = phrase("screen.text.at_most", "最多写")
CHARS_NOW = phrase("screen.text.chars_now", "个字，现在写了")
CUT_DOWN = phrase("screen.text.cut_down", "个字，请删掉一些，再点「确定」。")


@dataclass(frozen=True)
class Typing:
    """What every text step of the kiosk shares: the one keyboard, and the station's common answers."""

    keyboard: OnScreenKeyboard
    answers: FormConfig


def problem_words(field: Field, problem: TextProblem, text: str) -> Spoken:
    if problem == TextProblem.EMPTY:
        return [WRITE, field.label, THEN_OK]
    return [field.label, AT_MOST, str(field.max_length), CHARS_NOW, str(len(text.strip())), CUT_DOWN]


class TextEntry(QWidget):
    answered = Signal(str)
    problem = Signal(object)  # Spoken: what is wrong, to show and say
    hint = Signal(object)  # Spoken: what to do now, to say

    def __init__(
        self,
        theme: Theme,
        typing: Typing,
        field: Field,
        earlier: str = "",
        question: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``earlier``: her answer when she comes back to the question: typed words open at the keyboard.
        ``question``: the screen's question, hidden where the keyboard needs its room (the screen shows
        it again with its next step)."""
        super().__init__(parent)
        self._theme = theme
        self._typing = typing
        self._field = field
        self._question = question
        self.buttons: list[BigButton] = []  # the screen's, for its audit and its tests: kept up to date
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(theme.mm(GAP_MM))
        self.box = QLineEdit()
        self.box.setFont(theme.font(LABEL_GLYPH_MM))
        self.box.setMinimumHeight(theme.mm(TARGET_MM))
        self.box.returnPressed.connect(self.confirm)  # a volunteer's physical keyboard
        self.box.setText(earlier)
        self.space: KeyboardSpace | None = None
        self._over_common = False
        common = typing.answers.answers_for(field.id)
        if common and (not earlier or earlier in common):
            self._offer(common)
        else:
            self._open_keyboard(speak=False)  # the question itself is being said

    def _offer(self, common: tuple[str, ...]) -> None:
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        entries = [*common, OWN_WORDS]
        columns = 3 if len(entries) > 4 else 2
        for index, label in enumerate(entries):
            button = BigButton(self._theme, label, CHOICE, icon_name="keyboard" if label == OWN_WORDS else None)
            action = self._open_keyboard if label == OWN_WORDS else lambda _=False, a=label: self.answered.emit(a)
            button.clicked.connect(action)
            grid.addWidget(button, index // columns, index % columns)
            self.buttons.append(button)
        self._choices = QWidget()
        self._choices.setLayout(grid)
        self.column.addWidget(self._choices, stretch=1)

    def _open_keyboard(self, _=False, speak: bool = True) -> None:
        self._over_common = bool(self.buttons)  # she chose 自己输入 (not her own earlier words, opened at once)
        if self.buttons:
            self._choices.hide()
            self.buttons.clear()
        row = QHBoxLayout()
        row.setSpacing(self._theme.mm(GAP_MM))
        row.addWidget(TextLabel(self._theme, f"{self._field.label}：", role="label"))
        row.addWidget(self.box, stretch=1)
        ok = BigButton(self._theme, OK, CHOICE)
        ok.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        ok.clicked.connect(self.confirm)
        row.addWidget(ok)
        self.buttons.append(ok)
        self.column.addLayout(row)
        self.space = KeyboardSpace(self._typing.keyboard)
        self.space.fitted.connect(self._give_room)
        self.column.addWidget(self.space, stretch=1)
        self._spare = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        self.column.addSpacerItem(self._spare)  # what room the keyboard leaves: below it, by the screen's buttons
        self.box.setFocus()
        if speak:
            self.hint.emit(TYPE_HINT)

    def typing_over_common(self) -> bool:
        """The keyboard is open because she chose 自己输入 over the common answers: 返回 offers them again.
        Opened at once on her own earlier words, 返回 goes a question back, as on any question."""
        return self.space is not None and self._over_common

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.space is not None:
            self.box.setFocus()  # what the keyboard types goes to the focused box

    def _give_room(self, fitted: bool) -> None:
        question = self._question
        if question is None:
            return
        if not fitted:
            question.hide()
        elif question.isHidden():
            # Shown, it takes its own height and the screen's spacing above it from the room to spare.
            needs = question.heightForWidth(question.width()) + self._theme.mm(GAP_MM)
            question.setVisible(self._spare.geometry().height() >= needs)

    def confirm(self) -> None:
        QGuiApplication.inputMethod().commit()  # pinyin still being typed counts as its first character
        text = self.box.text()
        problem = text_problem(self._field, text)
        if problem is not None:
            self.problem.emit(problem_words(self._field, problem, text))
            self.box.setFocus()
            return
        self.answered.emit(text.strip())
