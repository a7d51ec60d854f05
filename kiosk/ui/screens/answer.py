"""What the province answered: a query's result at once, or answers kept for the villager's next visit.

One answer a page, so that nothing ever needs scrolling; 「下一条」 shows the next. The province's first
line is what she asked (养老金每月 2,104.50 元): it is the largest text on the page, the rest its details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import CHOICE_GLYPH_MM, GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import Free, phrase, text_of

if TYPE_CHECKING:
    from kiosk.store.answers import Answer

ANSWER = "answer"
TITLE = phrase("screen.answer.title", "查询结果")
NUMBER = phrase("screen.answer.number", "回执号")
MORE = phrase("screen.answer.more", "还有")
MORE_END = phrase("screen.answer.more_end", "条，请点「下一条」。")
PRESS_HOME = phrase("screen.answer.press_home", "看好了请点「首页」。")


class AnswerScreen(Screen):
    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, ANSWER, TITLE, "", parent)
        self._theme = theme
        self._labels: list[TextLabel] = []
        self._queue: list[Answer] = []
        self._receipt: str | None = None
        self.column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.note = TextLabel(theme)
        row.addWidget(self.note, stretch=1)
        self.next_button = BigButton(theme, "下一条", CHOICE, icon_name="continue")
        self.next_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.next_button.clicked.connect(self._next)
        self.next_button.hide()
        row.addWidget(self.next_button)
        self.column.addLayout(row)

    def show_answers(self, answers: list[Answer], receipt: str | None = None) -> None:
        self._queue = list(answers)
        self._receipt = receipt
        self._next()

    def _next(self) -> None:
        if not self._queue:
            return
        answer = self._queue.pop(0)
        self._clear_labels()
        self.title = Free(answer.title)  # the header says what this is; the page holds only the answer
        for at, line in enumerate(answer.lines):
            label = TextLabel(self._theme, line)
            if at == 0:
                label.setFont(self._theme.font(CHOICE_GLYPH_MM, bold=True))
            self.column.insertWidget(at, label)
            self._labels.append(label)
        more = [MORE, f" {len(self._queue)} ", MORE_END] if self._queue else [PRESS_HOME]
        note = [NUMBER, f" {self._receipt}。", *more] if self._receipt else more
        self.note.setText(text_of(note))
        self.next_button.setVisible(bool(self._queue))
        said = [part for line in answer.lines for part in ("。", Free(line))][1:]  # the province's own words
        self.prompt = [self.title, "：", *said, "。", *note]
        if self.isVisible():
            self.window().refresh_header()
            self.window().speak_current()

    def _clear_labels(self) -> None:
        for label in self._labels:
            label.hide()
            label.setParent(None)
        self._labels.clear()

    def clear(self) -> None:
        self._clear_labels()
        self._queue = []
        self._receipt = None
        self.note.clear()
        self.next_button.hide()
        self.title = TITLE
        self.prompt = ""
