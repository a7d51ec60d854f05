"""A service's questions, one per screen, then the read-back.

The form screen shows whichever step the FormSession is at: big choice buttons (at most five),
a large keypad for numbers, money and phone numbers with the value in a box beside the question,
or a line a volunteer types into. Coming back to a question shows her answer again. The read-back
lists each answer as a big button that opens its question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QVBoxLayout

from kiosk.services.form import (
    DELETE,
    NO_PHOTO,
    NOT_FILLED,
    PHONE_DIGITS,
    PHOTO_TAKEN,
    POINT,
    FormSession,
    choice_pages,
    entry_of,
    typed,
)
from kiosk.services.validation import decimals_allowed
from kiosk.ui.camera_view import CameraView
from kiosk.ui.screens.base import Screen
from kiosk.ui.text_entry import TextEntry
from kiosk.ui.theme import BODY_GLYPH_MM, CHOICE_GLYPH_MM, GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, KEY, NAV, BigButton, TextLabel, clear_layout
from kiosk.voice.lines import Free, phrase, text_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.errors import KioskError
    from kiosk.services.catalogue import Field
    from kiosk.services.form import ReadBackLine
    from kiosk.voice.lines import Spoken

MORE = "还有别的"
KEYPAD = ("1", "2", "3", "4", "5", DELETE, "6", "7", "8", "9", "0", POINT)
FORM = "form"
KEYED = ("number", "money", "phone")  # the field types typed on the keypad
PHOTO_BUTTON_MM = 55  # 用这张 and 重拍 beside the photo, as wide as each other
READ_BACK_CELLS = 4  # answers a read-back screen shows (two rows of two, above 对，提交): fits a 10-inch panel
ANSWER_MAX_MM = 32  # a read-back button's height where the panel has room
ANSWER_ROOM = 10  # a read-back button's line on a 10-inch panel, in ideographs (a digit or letter is half)
ANSWER_INK = 0.75  # of a read-back button's width, what its line may fill (the rest: border and margins)
ORDINAL = phrase("screen.common.ordinal", "第")
OF_TOTAL = phrase("screen.common.of_total", "共")
CHECK = phrase("screen.form.check", "请核对：")
SAY_YES = phrase("screen.form.say_yes", "对的话请说“对”或点提交。")
SAY_YES_OR_MORE = phrase("screen.form.say_yes_or_more", "对的话请说“对”，或点“还有别的”看完再提交。")
PICK = phrase("screen.form.pick", "要改哪一项？请点那一项。")
AGAIN = phrase("screen.form.again", "还是不对：")
CHOSEN = "✓"  # her earlier answer, marked by more than colour
USE_PHOTO = phrase("screen.form.use_photo", "用这张")
RETAKE = phrase("screen.form.retake", "重拍")
CHECK_PHOTO = phrase("screen.form.check_photo", "照片拍好了。看得清就点「用这张」，看不清点「重拍」。")
NAME = phrase("screen.form.name", "姓名")
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
    say = Signal(object)  # Spoken: why a key did nothing; the read-back's question after a tap on it

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, FORM, "", "", parent)
        self._theme = theme
        self.form: FormSession | None = None
        self.header = QHBoxLayout()
        self.header.setSpacing(theme.mm(GAP_MM))
        words = QVBoxLayout()
        words.setSpacing(theme.mm(1))
        self.question = TextLabel(theme, role="label")
        self.question.setWordWrap(True)
        self.error = TextLabel(theme)  # beside the value: what was wrong and what to do now
        self.error.setFont(theme.font(BODY_GLYPH_MM, bold=True))
        self.error.setStyleSheet(f"color: {theme.colours.help};")  # set apart from the question
        self.error.hide()
        words.addWidget(self.question)
        words.addWidget(self.error)
        self.header.addLayout(words, stretch=1)
        self.display = TextLabel(theme, "", role="title")  # the value being typed, with its unit
        self.display.setFont(theme.font(CHOICE_GLYPH_MM, bold=True))
        self.display.setWordWrap(False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        c, border, pad = theme.colours, max(2, theme.mm(0.6)), theme.mm(2.5)
        self.display.setStyleSheet(
            f"QLabel {{ background: #FFFFFF; color: {c.text}; border: {border}px solid {c.outline};"
            f" border-radius: {pad}px; padding: {pad // 2}px {pad}px; }}"
        )
        self.display.hide()
        self.header.addWidget(self.display, alignment=Qt.AlignmentFlag.AlignTop)
        self._page_note: list[str] = []  # （第 1 页，共 2 页） after a long list's question
        self.column.addLayout(self.header)
        self.body = QVBoxLayout()
        self.body.setSpacing(theme.mm(GAP_MM))
        self.column.addLayout(self.body, stretch=1)
        self.entry = ""
        self.buttons: list[BigButton] = []
        self.answer_buttons: dict[str, BigButton] = {}  # on the read-back: each answer opens its question
        self.line: QLineEdit | None = None
        self.preview: CameraView | None = None  # the live camera of a photo step
        self.still: CameraView | None = None  # the photo just taken, to keep or take again
        self._page, self._page_step = 0, None  # which screenful of a long choice list or read-back
        self._picking = False  # 不对，改一下: she is choosing which answer to change
        self._read_pages = 0  # how many of the read-back's screens she has seen: 对，提交 waits for all
        self._rejected: tuple[str, str, str] | None = None  # (field, what she typed, what was said about it)
        self._keyed: str | None = None  # the field the keypad shows
        self._unconfirmed: dict[str, str] = {}  # typed, and left by 返回 before 确定: there when she comes back
        self.person_name = ""  # masked, as the welcome shows it
        self._text_entry: TextEntry | None = None  # a text step: its common answers or the keyboard
        self._photo: bytes | None = None  # just taken, for her to look at before it is used
        self._retaking = False  # 重拍: the camera again, her earlier photo set aside

    def show_form(self, form: FormSession) -> None:
        self.form = form
        self._page_step, self._picking, self._rejected, self._read_pages = None, False, None, 0
        self._unconfirmed = {}
        self.title = form.service.label
        self.pictogram = form.service.icon
        self.show_step()

    def clear_form(self) -> None:
        """Forget the answers on screen (the session ended)."""
        self.camera_wanted.emit(False)
        self.form = None
        self._photo = None
        self.entry = ""
        self._rejected = None
        self._unconfirmed = {}
        self.display.clear()
        self.display.hide()
        self.error.clear()
        clear_layout(self.body)
        self.buttons = []
        self.answer_buttons = {}

    def show_error(self, error: KioskError) -> None:
        """A wrong answer, in plain words beside the value (never the field's id), said aloud."""
        self.show_step(error=getattr(error, "said", error.message))

    def show_step(self, error: Spoken = "") -> None:
        form = self.form
        step = form.step
        field = step.field
        where = (step.number, field.id if field else None)
        if where != self._page_step:  # a new question starts on its first page, with nothing rejected
            self._page, self._page_step = 0, where
            self._photo, self._retaking = None, False
            if not error:
                self._rejected = None
        if field is not None:
            self._picking = False
        self.step_label = step.label
        self.stepped.emit(step.label)
        error = self._worded(field, error)
        self.error.setVisible(bool(error))
        self.error.setText(text_of(error))
        clear_layout(self.body)
        self.buttons, self.answer_buttons, self.line, self.entry, self.preview = [], {}, None, "", None
        self.still, self._keyed = None, None
        self._text_entry = None
        self.display.hide()
        asked = form.asked(field) if field is not None else [PICK]  # 每 · 斤 · 卖多少钱？: said piece by piece
        self._page_note = []
        if field is None:
            self._read_back(form)
        elif field.type == "choice":
            offered = form.offered.get(field.id, ("", None))[1]
            first = [c for c in field.choices if c == offered]  # what she named when she asked comes first
            self._choices([(c.label, c.id) for c in [*first, *(c for c in field.choices if c != offered)]])
        elif field.type in KEYED:
            self._keypad(field)
        elif field.type == "photo":
            photo = self._photo or (None if self._retaking else form.answered(field))
            if photo:
                self._photo_check(photo)
                asked = [CHECK_PHOTO]
            else:
                self._camera()
        else:
            self._text_line()
            self.line.setText(str(form.answered(field) or ""))
        said = [*asked, *self._page_note, *self._offer_words(field)]
        self.question.setText(text_of(said))
        # Room on a 10-inch panel: the read-back's buttons say what to do, and a keypad's complaint
        # names the question it is about, so each stands in place of the question.
        keyed_in = field is not None and field.type in KEYED
        self.question.setVisible(self._picking if field is None else not (error and keyed_in))
        self.prompt = [*error, " ", *said] if error else said
        self.camera_wanted.emit(self.preview is not None)

    def _worded(self, field: Field | None, error: Spoken) -> list:
        """The error as a list of parts. The same complaint again starts 「还是不对：」, so she sees and
        hears that her new try was checked (not the old message left standing)."""
        if not error:
            return []
        parts = [error] if isinstance(error, str) else list(error)
        rejected = self._rejected
        if field is not None and rejected is not None and rejected[0] == field.id:
            if rejected[2] in (text_of(parts), text_of([AGAIN, *parts])):
                parts = [AGAIN, *parts]
            self._rejected = (*rejected[:2], text_of(parts))
        return parts

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
        chosen = self.form.answered(self.form.step.field)
        entries = [(label, lambda _=False, v=value: self.answered.emit(v), value == chosen) for label, value in page]
        if len(pages) > 1:
            entries.append((MORE, self._next_page, False))
            page = f"{ORDINAL} {self._page % len(pages) + 1} 页，{OF_TOTAL} {len(pages)} 页"
            self._page_note = [f"（{page}）"]
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        columns = 3 if len(entries) > 4 else 2
        for index, (label, action, was_chosen) in enumerate(entries):
            button = BigButton(self._theme, f"{CHOSEN} {label}" if was_chosen else label, CHOICE)
            if was_chosen:  # her earlier answer: said in words and drawn the other way round
                self._mark_chosen(button)
            button.clicked.connect(action)
            grid.addWidget(button, index // columns, index % columns)
            self.buttons.append(button)
        self.body.addLayout(grid, stretch=1)

    def _mark_chosen(self, button: BigButton) -> None:
        c = self._theme.colours
        button.setProperty("chosen", True)
        button.setStyleSheet(
            f"QToolButton {{ background: {c.page}; color: {c.primary};"
            f" border: {max(3, self._theme.mm(1.2))}px solid {c.primary}; }}"
        )

    def _next_page(self) -> None:
        self._page += 1
        self.show_step()

    def _keypad(self, field: Field) -> None:
        # The value sits in a box beside the question; two rows of keys fit a 10-inch panel.
        if self._rejected is not None and self._rejected[0] == field.id:
            self.entry = self._rejected[1]  # the wrong value stays until she changes it
        elif field.id in self._unconfirmed:
            self.entry = self._unconfirmed.pop(field.id)
        else:
            self.entry = entry_of(self.form.answered(field))
        self._keyed = field.id
        self.display.setMinimumWidth(self._display_width(field))
        self._show_entry()
        self.display.show()
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        for index, key in enumerate(KEYPAD):
            if key == POINT and decimals_allowed(field) == 0:  # a phone number, a whole number: no point to press
                continue
            button = BigButton(self._theme, key, KEY)
            button.setFont(self._theme.title_font())  # the box above shows the digits large: room for its reason
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 6, index % 6)
            self.buttons.append(button)
        ok = BigButton(self._theme, "确定", CHOICE)
        ok.clicked.connect(self._submit_entry)
        grid.addWidget(ok, 0, 6, 2, 1)
        self.buttons.append(ok)
        self.body.addLayout(grid, stretch=1)

    def _display_width(self, field: Field) -> int:
        """Wide enough for the longest value the field takes, so nothing she types is ever cut off."""
        if field.type == "phone":
            longest = _grouped("8" * PHONE_DIGITS)
        else:
            digits = len(str(int(field.maximum))) if field.maximum is not None else 6
            decimals = 2 if field.type == "money" else (field.decimals or 0)
            longest = "8" * digits + ("." + "8" * decimals if decimals else "")
        unit = self.form.unit_of(field)
        text = f"{longest} {unit}" if unit else longest
        return self.display.fontMetrics().horizontalAdvance(text) + self._theme.mm(8)

    def _show_entry(self) -> None:
        field = self.form.step.field
        unit = self.form.unit_of(field)
        shown = _grouped(self.entry) if field.type == "phone" else self.entry
        self.display.setText(f"{shown} {unit}".strip() if unit else shown)

    def press(self, key: str) -> None:
        field = self.form.step.field
        entry, refusal = typed(field, self.entry, key, self.form.unit_of(field))
        if refusal is not None:  # the key does nothing, and she is told why
            self.error.setText(text_of(refusal))
            self.error.show()
            self.say.emit(refusal)
            return
        if entry != self.entry:  # she changed it: the old complaint goes, the question is back
            self._rejected = None
            self.error.hide()
            self.question.show()
        self.entry = entry
        self._show_entry()

    def _submit_entry(self) -> None:
        field = self.form.step.field
        said = self._rejected[2] if self._rejected is not None and self._rejected[0] == field.id else ""
        self._rejected = (field.id, self.entry, said)
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

    def show_photo(self, jpeg: bytes) -> None:
        """The photo just taken, large, for her to keep or take again."""
        self._photo, self._retaking = jpeg, False
        self.show_step()
        self.say.emit(self.spoken_text())

    def _photo_check(self, jpeg: bytes) -> None:
        """The photo still, beside 用这张 and 重拍: what she keeps is what she saw."""
        row = self._row()
        self.still = CameraView(self._theme, oval=False)
        self.still.show_frame(QImage.fromData(jpeg))
        row.addWidget(self.still, stretch=1)
        column = QVBoxLayout()
        column.setSpacing(self._theme.mm(GAP_MM))
        keep, again = (USE_PHOTO, "continue", lambda: self.answered.emit(jpeg)), (RETAKE, "camera", self._retake)
        for words, pictogram, act in (keep, again):
            button = BigButton(self._theme, words, CHOICE, icon_name=pictogram)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            button.setMinimumWidth(self._theme.mm(PHOTO_BUTTON_MM))
            button.clicked.connect(act)
            column.addWidget(button)
            self.buttons.append(button)
        row.addLayout(column)

    def _retake(self) -> None:
        self._photo, self._retaking = None, True
        self.show_step()
        self.say.emit(self.spoken_text())

    def _text_line(self) -> None:
        """The station's common answers first, then the on-screen keyboard (kiosk/ui/text_entry.py)."""
        field = self.form.step.field
        earlier = str(self.form.answered(field) or "")
        entry = TextEntry(self._theme, self.window().typing, field, earlier, question=self.question)
        entry.answered.connect(lambda text: self.answered.emit(text))
        entry.problem.connect(self._say_problem)
        entry.hint.connect(lambda words: self.say.emit(words))
        self.body.addWidget(entry, stretch=1)
        self.buttons, self.line = entry.buttons, entry.box
        self._text_entry = entry

    def _say_problem(self, words: Spoken) -> None:
        """Shown above the answer, which stays as it was typed, and said."""
        self.error.setText(text_of(words))
        self.error.show()
        self.say.emit(words)

    def _read_back(self, form: FormSession) -> None:
        """Each answer a big button that opens its question (two rows of two, paged with 还有别的), and
        below them 对，提交 and 不对，改一下; after 不对，改一下 only the answers, to pick one.

        对，提交 shows once she has seen every screen of answers: until then 还有别的 stands in its place."""
        pages = choice_pages(form.read_back(), READ_BACK_CELLS)
        shown = self._page % len(pages)
        self._read_pages = max(self._read_pages, shown + 1)
        all_seen = self._read_pages >= len(pages)
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        whose = self._whose(form) if shown == 0 else []
        cells: list[QWidget] = [*(self._fixed_cell(f"{label}：{value}") for label, value in whose)]
        cells += [self._answer_cell(line) for line in pages[shown]]
        if len(pages) > 1 and (all_seen or self._picking):
            cells.append(self._more())  # to look again, or to find the answer to change: not an answer
            self.buttons.append(cells[-1])
        for index, cell in enumerate(cells):
            cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            cell.setMaximumHeight(self._theme.mm(ANSWER_MAX_MM))  # room left over stays below, not in the buttons
            grid.addWidget(cell, index // 2, index % 2)
        for column in (0, 1):
            grid.setColumnStretch(column, 1)
        self.body.addLayout(grid, stretch=1)
        self.body.addStretch(1)
        if self._picking:
            self.voice_context = "anywhere"
            return
        row = self._row()
        yes = BigButton(self._theme, "对，提交", CHOICE) if all_seen else self._more()
        if all_seen:
            yes.clicked.connect(self.confirmed)
        shown = [yes]
        if _changeable(form):  # a certification's face alone is not changed here: no 不对，改一下 to a dead end
            no = BigButton(self._theme, "不对，改一下", CHOICE)
            no.clicked.connect(self.pick_answer)
            shown.append(no)
        for button in shown:
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        self.buttons[:0] = shown  # 对，提交 (or 还有别的 before it) first, as a guide points at it
        self.voice_context = "confirm"

    def _answer_room(self) -> float:
        """How many ideographs a read-back button's line holds on this panel: never fewer than on a 10-inch."""
        cell = (self.width() - self._theme.mm(GAP_MM)) / 2
        return max(ANSWER_ROOM, ANSWER_INK * cell / self._theme.body_font().pixelSize())

    def _more(self) -> BigButton:
        more = BigButton(self._theme, MORE, CHOICE)
        more.clicked.connect(self._next_page)
        return more

    def _answer_cell(self, line: ReadBackLine) -> QWidget:
        value = _grouped(line.value) if line.field.type == "phone" else line.value  # 139 1234 5678, as typed
        text = _shown_answer(line.field.label, value, self._answer_room())
        if not line.can_open:  # from her card or her live face: shown, not changed here
            return self._fixed_cell(text)
        button = BigButton(self._theme, text, NAV)
        button.setFont(self._theme.body_font())
        button.clicked.connect(lambda _=False, f=line.field.id: self.open_answer(f))
        self.answer_buttons[line.field.id] = button
        self.buttons.append(button)
        return button

    def _fixed_cell(self, text: str) -> TextLabel:
        label = TextLabel(self._theme, text)
        label.setWordWrap(False)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def pick_answer(self) -> None:
        """不对，改一下: the answers stay, and she is asked which one to change."""
        self._picking = True
        self.show_step()
        self.say.emit(self.spoken_text())

    def open_answer(self, field_id: str) -> None:
        """An answer tapped on the read-back: its question, with her answer in it; then back here."""
        self._picking = False
        self.form.open(field_id)
        self.show_step()
        self.say.emit(self.spoken_text())

    def spoken_text(self) -> Spoken:
        if self.form is not None and self.form.step.field is None:
            if self._picking:
                return [self.title, "。", PICK]
            said = [self.title, "。", CHECK]
            for label, masked in self._whose(self.form):  # the hidden part of the name said as 某
                said += [label, "，", Free(masked.replace("*", "某")), "；"]
            for line in self.form.read_back():
                value = line.value
                said += [line.field.label, "，", Free(value) if line.field.type == "text" else value, "；"]
            all_seen = self._read_pages >= len(choice_pages(self.form.read_back(), READ_BACK_CELLS))
            return [*said[:-1], "。", SAY_YES if all_seen else SAY_YES_OR_MORE]
        return super().spoken_text()

    def show_person(self, person) -> None:
        """The villager checked in (None: nobody), masked as the welcome shows her."""
        self.person_name = person.masked_name if person is not None else ""

    def _whose(self, form: FormSession) -> list[tuple[str, str]]:
        """A certification's read-back is her face alone: it says whose first."""
        return [(NAME, self.person_name)] if form.service.kind == "certification" and self.person_name else []

    def has_answers(self) -> bool:
        """What 首页 would throw away: answers she gave, or the face a certification has just proven."""
        form = self.form
        return form is not None and (form.begun() or (form.service.kind == "certification" and bool(form.photos)))

    def handle_back(self) -> bool:
        """Back inside the form goes one question back, every answer kept; from the first question it
        leaves the form."""
        self.voice_context = "anywhere"
        if self._keyed is not None and self.entry:
            self._unconfirmed[self._keyed] = self.entry
        if self._text_entry is not None and self._text_entry.typing_over_common():
            self.show_step()  # from the keyboard back to the station's common answers, not a question back
            return True
        if self.form is not None and self._picking:
            self._picking = False
        elif self.form is None or not self.form.back():
            return False
        self.show_step()
        self.answered.emit(None)
        return True

    def on_voice(self, intent) -> None:
        at_read_back = self.form is not None and self.form.step.field is None
        if intent.name == "yes" and at_read_back and not self._picking:
            self.confirmed.emit()
        elif intent.name == "no" and at_read_back and _changeable(self.form):
            self.pick_answer()
        elif intent.name == "no":
            self.handle_back()


def _changeable(form: FormSession) -> bool:
    return any(line.can_open for line in form.read_back())


def _shown_answer(label: str, value: str, room: float = ANSWER_ROOM) -> str:
    """「面积：12.5亩」 when it fits one line of a read-back button; else the answer alone, cut to fit
    (「耕地地力保护补贴」, 「13912345678」): the read-back says each in full."""
    if _width(label) + 1 + _width(value) <= room:
        return f"{label}：{value}"
    if _width(value) <= room:
        return value
    cut = ""
    for char in value:
        if _width(cut + char) > room - 1:
            break
        cut += char
    return f"{cut}…"


def _width(text: str) -> float:
    return sum(0.5 if ord(char) < 0x2E80 else 1 for char in text)


def _grouped(digits: str) -> str:
    """A phone number as it is read: 139 1234 5678."""
    return " ".join(part for part in (digits[:3], digits[3:7], digits[7:]) if part)
