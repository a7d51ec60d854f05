"""A service's questions, one per screen, then the read-back.

The form screen shows whichever step the FormSession is at: big choice buttons (at most five),
a large keypad for numbers, money and phone numbers, or a line a volunteer types into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.form import NO_PHOTO, NOT_FILLED, PHOTO_TAKEN, FormSession, choice_pages
from kiosk.ui.camera_view import CameraView
from kiosk.ui.screens.base import Screen
from kiosk.ui.text_entry import TextEntry
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, KEY, BigButton, TextLabel, clear_layout, discard
from kiosk.voice.lines import Free, phrase, text_of

if TYPE_CHECKING:
    from kiosk.voice.lines import Spoken

MORE = "还有别的"
KEYPAD = ("1", "2", "3", "4", "5", "删", "6", "7", "8", "9", "0", "点")
FORM = "form"
ORDINAL = phrase("screen.common.ordinal", "第")
OF_TOTAL = phrase("screen.common.of_total", "共")
CHECK = phrase("screen.form.check", "请核对：")
SAY_YES = phrase("screen.form.say_yes", "对的话请说“对”或点提交。")
OFFER_SAID = phrase("screen.form.offer_said", "您说的")
OFFER_IS = phrase("screen.form.offer_is", "是")
READ_BACK_WORDS = [phrase(f"screen.form.{name}", text) for name, text in
                   (("photo_taken", PHOTO_TAKEN), ("no_photo", NO_PHOTO), ("not_filled", NOT_FILLED))]  # fmt: skip


class FormScreen(Screen):
    answered = Signal(object)
    confirmed = Signal()
    camera_wanted = Signal(bool)
    shutter = Signal()
    stepped = Signal(str)

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, FORM, "", "", parent)
        self._theme = theme
        self.form: FormSession | None = None
        self.header = QHBoxLayout()
        self.header.setSpacing(theme.mm(GAP_MM))
        self.question = TextLabel(theme, role="label")
        self.question.setWordWrap(True)
        self.header.addWidget(self.question, stretch=1)
        self.column.addLayout(self.header)
        self.error = TextLabel(theme)
        self.error.hide()
        self.column.addWidget(self.error)
        self.body = QVBoxLayout()
        self.body.setSpacing(theme.mm(GAP_MM))
        self.column.addLayout(self.body, stretch=1)
        self.entry = ""
        self.buttons: list[BigButton] = []
        self.display: TextLabel | None = None
        self.line: QLineEdit | None = None
        self.preview: CameraView | None = None
        self._page, self._page_step = 0, 0  # which screenful of a long choice list

    def show_form(self, form: FormSession) -> None:
        self.form = form
        self._page_step = 0
        self.title = form.service.label
        self.pictogram = form.service.icon
        self.show_step()

    def clear_form(self) -> None:
        """Forget the answers on screen (the session ended)."""
        self.camera_wanted.emit(False)
        self.form = None
        self.entry = ""
        clear_layout(self.body)
        self.buttons = []

    def show_step(self, error: str = "") -> None:
        form = self.form
        step = form.step
        if step.number != self._page_step:  # a new question starts on its first page
            self._page, self._page_step = 0, step.number
        self.step_label = step.label
        self.stepped.emit(step.label)
        self.error.setVisible(bool(error))
        self.error.setText(error)
        clear_layout(self.body)
        if self.display is not None:
            discard(self.display)
        self.buttons, self.display, self.line, self.entry, self.preview = [], None, None, "", None
        field = step.field
        self.question.setVisible(field is not None)
        if field is None:
            self.question.setText("请核对，对的话点「对，提交」")
            self._read_back(form)
        elif field.type == "choice":
            self.question.setText(field.prompt)
            offered = form.offered.get(field.id, ("", None))[1]
            first = [c for c in field.choices if c == offered]  # what she named when she asked comes first
            self._choices([(c.label, c.id) for c in [*first, *(c for c in field.choices if c != offered)]])
        elif field.type in ("number", "money", "phone"):
            self.question.setText(field.prompt)
            self._keypad(field.type)
        elif field.type == "photo":
            self.question.setText(field.prompt)
            self._camera()
        else:
            self.question.setText(field.prompt)
            self._text_line()
        said = [self.question.text(), *self._offer_words(field)]
        self.question.setText(text_of(said))
        self.prompt = [error, " ", *said] if error else said
        self.camera_wanted.emit(self.preview is not None)

    def _offer_words(self, field) -> list[str]:
        """您说的「土豆」是蔬菜。: the thing she named with 卖 and the choice it is."""
        if field is None or field.id not in self.form.offered:
            return []
        named, choice = self.form.offered[field.id]
        return [OFFER_SAID, "「", Free(named), "」", OFFER_IS, choice.label, "。"]

    def _row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(self._theme.mm(GAP_MM))
        self.body.addLayout(row)
        return row

    def _choices(self, options: list[tuple[str, object]]) -> None:
        pages = choice_pages(options)
        page = pages[self._page % len(pages)]
        entries = [(label, lambda _=False, v=value: self.answered.emit(v)) for label, value in page]
        if len(pages) > 1:
            entries.append((MORE, self._next_page))
            page = f"{ORDINAL} {self._page % len(pages) + 1} 页，{OF_TOTAL} {len(pages)} 页"
            self.question.setText(f"{self.question.text()}（{page}）")
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        columns = 3 if len(entries) > 4 else 2
        for index, (label, action) in enumerate(entries):
            button = BigButton(self._theme, label, CHOICE)
            button.clicked.connect(action)
            grid.addWidget(button, index // columns, index % columns)
            self.buttons.append(button)
        self.body.addLayout(grid, stretch=1)

    def _next_page(self) -> None:
        self._page += 1
        self.show_step()

    def _keypad(self, kind: str) -> None:
        # What has been keyed in shows beside the question; two rows of keys fit a 10-inch panel.
        self.display = TextLabel(self._theme, "", role="title")
        self.display.setWordWrap(False)
        self.display.setMinimumWidth(self._theme.mm(55))
        self.header.addWidget(self.display)
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        for index, key in enumerate(KEYPAD):
            if key == "点" and kind == "phone":
                continue
            button = BigButton(self._theme, key, KEY)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 6, index % 6)
            self.buttons.append(button)
        ok = BigButton(self._theme, "确定", CHOICE)
        ok.clicked.connect(self._submit_entry)
        grid.addWidget(ok, 0, 6, 2, 1)
        self.buttons.append(ok)
        self.body.addLayout(grid, stretch=1)

    def press(self, key: str) -> None:
        self.entry = self.entry[:-1] if key == "删" else (self.entry + ("." if key == "点" else key))[:15]
        self.display.setText(self.entry)

    def _submit_entry(self) -> None:
        field = self.form.step.field
        if field.type == "phone":
            self.answered.emit(self.entry)
            return
        try:
            value = float(self.entry) if "." in self.entry else int(self.entry)
        except ValueError:
            value = self.entry
        self.answered.emit(value)

    def _camera(self) -> None:
        row = self._row()
        self.preview = CameraView(self._theme, oval=False)
        row.addWidget(self.preview, stretch=1)
        shoot = BigButton(self._theme, "拍照", CHOICE, icon_name="camera")
        shoot.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        shoot.clicked.connect(self.shutter)
        row.addWidget(shoot)
        self.buttons.append(shoot)

    def _text_line(self) -> None:
        """The station's common answers first, then the on-screen keyboard (kiosk/ui/text_entry.py)."""
        entry = TextEntry(self._theme, self.window().typing, self.form.step.field)
        entry.answered.connect(lambda text: self.answered.emit(text))
        entry.problem.connect(self._say_problem)
        entry.hint.connect(lambda words: self.window().say(words))
        self.body.addWidget(entry, stretch=1)
        self.buttons, self.line = entry.buttons, entry.box

    def _say_problem(self, words: Spoken) -> None:
        """Shown above the answer, which stays as it was typed, and said."""
        self.error.setText(text_of(words))
        self.error.show()
        self.window().say(words)

    def _read_back(self, form: FormSession) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(self._theme.mm(GAP_MM))
        grid.setVerticalSpacing(0)
        lines = form.read_back()
        rows = (len(lines) + 1) // 2  # two columns, so a long form still fits without scrolling
        for index, (label, value) in enumerate(lines):
            cell = TextLabel(self._theme, f"{label}：{value}")
            cell.setWordWrap(False)
            grid.addWidget(cell, index % rows, index // rows)
        holder = QWidget()
        holder.setLayout(grid)
        self.body.addWidget(holder)
        self.body.addStretch(1)
        row = self._row()
        yes = BigButton(self._theme, "对，提交", CHOICE)
        no = BigButton(self._theme, "不对，改一下", CHOICE)
        for button in (yes, no):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        yes.clicked.connect(self.confirmed)
        no.clicked.connect(self.handle_back)
        self.buttons += [yes, no]
        self.voice_context = "confirm"

    def spoken_text(self) -> Spoken:
        if self.form is not None and self.form.step.field is None:
            said = [self.title, "。", CHECK]
            for field, (label, value) in zip(self.form.service.fields, self.form.read_back(), strict=True):
                said += [label, "，", Free(value) if field.type == "text" else value, "；"]
            return [*said[:-1], "。", SAY_YES]
        return super().spoken_text()

    def handle_back(self) -> bool:
        """Back inside the form goes one question back; from the first question it leaves the form."""
        self.voice_context = "anywhere"
        if self.form is not None and self.form.back():
            self.show_step()
            self.answered.emit(None)
            return True
        return False

    def on_voice(self, intent) -> None:
        if intent.name == "yes" and self.form is not None and self.form.step.field is None:
            self.confirmed.emit()
        elif intent.name == "no":
            self.handle_back()
