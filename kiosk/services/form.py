"""A service's questions as a villager meets them: one field per screen, then a read-back to confirm.

Pure Python (no Qt): the UI shows ``step`` and calls ``answer``/``back``; ``payload`` is the
validated request once every answer is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput
from kiosk.identity.idnumber import mask_name, mask_phone
from kiosk.services.validation import DECIMALS, check_field, decimals_allowed, validate
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.services.catalogue import Choice, Field, Service
    from kiosk.voice.lines import Spoken

CONFIRM = "confirm"
PHOTO_TAKEN, NO_PHOTO, NOT_FILLED = "已拍好", "没有", "没有填"  # in the read-back
PHONE_DIGITS = 11
DELETE, POINT = "删", "点"
PHONE_FULL = phrase("screen.form.key.phone_full", "手机号码是 11 位，已经输够了。")
WHOLE_ONLY = phrase("screen.form.key.whole_only", "这里填整数，不用点。")
ONE_POINT = phrase("screen.form.key.one_point", "已经有一个点了。")
PLACES_END = phrase("screen.form.key.places", "位。")
LARGEST = phrase("screen.form.key.largest", "最大是")


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    total: int
    field: Field | None  # None on the confirmation step

    @property
    def label(self) -> str:
        return f"第 {self.number} 步 / 共 {self.total} 步"


@dataclass(frozen=True)
class ReadBackLine:
    field: Field
    value: str  # what she answered, as shown
    can_open: bool  # she was asked it here (not taken from her card or her live face)


class FormSession:
    def __init__(
        self,
        service: Service,
        given_photos: dict[str, bytes] | None = None,
        given_answers: dict[str, object] | None = None,
        own_phone: bool = False,
    ) -> None:
        """``given_photos``, ``given_answers``: fields answered elsewhere (the live face, the seller's name
        from check-in): not asked. ``own_phone``: she is checked in, so her phone is hers to see in full."""
        self.service = service
        self.photos: dict[str, bytes] = dict(given_photos or {})
        self.answers: dict[str, object] = {}
        self.offered: dict[str, tuple[str, Choice]] = {}  # field: (what she named, the choice it is)
        self.own_phone = own_phone
        for field in service.fields:
            if given_answers and field.id in given_answers:
                self.answers[field.id] = check_field(field, given_answers[field.id])
        self._given = set(self.answers) | set(self.photos)
        self._asked = [f for f in service.fields if f.id not in self._given]
        steps = self._steps()
        self._current: Field | None = steps[0] if steps else None  # None: the read-back
        self._from_read_back = False  # a question opened from the read-back goes back there

    def _steps(self, supposing: dict | None = None) -> list[Field]:
        """The questions she is asked, as her answers so far decide (高龄津贴 asks no area)."""
        answers = self._all_answers() | (supposing or {})
        return [f for f in self.service.fields_for(answers) if f.id not in self._given]

    def _total(self, steps: list[Field]) -> int:
        """How many steps there will be. Before she answers a choice that decides later questions, the
        most any of its answers brings in, so the count only ever goes down (4, then 3 for 高龄津贴)."""
        deciding = {c.field for f in self._asked for c in f.when}
        undecided = next((f for f in steps if f.id in deciding and self.answered(f) is None), None)
        if undecided is None:
            return len(steps) + 1
        return max(len(self._steps({undecided.id: c.id})) for c in undecided.choices) + 1

    def _all_answers(self) -> dict[str, object]:
        return self.answers | dict.fromkeys(self.photos, PHOTO_TAKEN)

    @property
    def step(self) -> Step:
        steps = self._steps()
        total = self._total(steps)
        return Step(total if self._current is None else steps.index(self._current) + 1, total, self._current)

    def begun(self) -> bool:
        """She has answered something herself (not only what her card or her face gave)."""
        return bool((set(self.answers) | set(self.photos)) - self._given)

    def answered(self, field: Field) -> object | None:
        """Her answer to ``field`` so far (shown again when she comes back to it), or None."""
        return self.photos.get(field.id) if field.type == "photo" else self.answers.get(field.id)

    def answer(self, value: object) -> None:
        """Keep the answer to the current question (checked) and move on: to the next question, or
        back to the read-back when she opened it from there (first to any question her change brings in)."""
        field = self._current
        if field is None:
            raise InvalidInput("已经填完了，请核对")
        if field.type == "photo":
            if not isinstance(value, bytes) or not value:
                raise InvalidInput("还没有拍到照片，请再拍一张")
            self.photos[field.id] = value
        else:
            self.answers[field.id] = check_field(field, value, self.unit_of(field))
        steps = self._steps()
        if self._from_read_back:
            self._current = next((f for f in steps if f.required and self.answered(f) is None), None)
        else:
            later = steps[steps.index(field) + 1 :]
            self._current = later[0] if later else None
        if self._current is None:
            self._from_read_back = False

    def open(self, field_id: str) -> None:
        """From the read-back: ask this question again; once answered she is back at the read-back."""
        self._current = next(f for f in self._steps() if f.id == field_id)
        self._from_read_back = True

    def offer(self, field_id: str, named: str) -> Choice | None:
        """She named a thing when she asked (卖土豆): its choice is offered first at that question."""
        field = next((f for f in self._asked if f.id == field_id and f.type == "choice"), None)
        choice = choice_named(field.choices, named) if field is not None else None
        if choice is not None:
            self.offered[field_id] = (named, choice)
        return choice

    def prefill(self, payload: dict) -> None:
        """Answers from a request the province sent back, to be fixed: the form opens at the read-back,
        from where each answer can be opened and changed."""
        for field in self._asked:
            if field.type != "photo" and field.id in payload:
                self.answers[field.id] = check_field(field, payload[field.id], self.unit_of(field, payload))
        self._current = None

    def back(self) -> bool:
        """One step back, every answer kept; False when already at the first question (the caller leaves
        the form). A question opened from the read-back goes back to the read-back."""
        steps = self._steps()
        if self._from_read_back:
            self._current, self._from_read_back = None, False
            return True
        if self._current is None:
            if not steps:
                return False
            self._current = steps[-1]
            return True
        at = steps.index(self._current)
        if at == 0:
            return False
        self._current = steps[at - 1]
        return True

    def read_back(self) -> list[ReadBackLine]:
        """What the villager answered, for the confirmation screen: only the questions that apply."""
        lines = []
        for field in self.service.fields_for(self._all_answers()):
            can_open = field.id not in self._given
            if field.type == "photo":
                lines.append(ReadBackLine(field, PHOTO_TAKEN if field.id in self.photos else NO_PHOTO, can_open))
            else:
                lines.append(ReadBackLine(field, self._show(field, self.answers.get(field.id)), can_open))
        return lines

    def _show(self, field: Field, value: object) -> str:
        if value is None:
            return NOT_FILLED
        if field.type == "choice":
            return next((c.label for c in field.choices if c.id == value), str(value))
        if field.type == "money":
            per = self.chosen_unit(field)  # 2.50元/斤
            return f"{value:.2f}元/{per}" if per else f"{value:.2f}元"
        if field.type == "phone":
            return str(value) if self.own_phone else mask_phone(str(value))
        if field.id in self._given and field.personal:  # from the card: shown as the welcome shows it
            return mask_name(str(value))
        return f"{value:g}{self.unit_of(field)}" if isinstance(value, (int, float)) else str(value)

    def unit_of(self, field: Field, answers: dict | None = None) -> str:
        """What a number is counted in: its own unit, or the label of the unit she chose (斤)."""
        if field.unit or field.type == "money":
            return field.unit or "元"
        return self.chosen_unit(field, answers)

    def asked(self, field: Field) -> list[str]:
        """The question as she is asked it, with the unit she chose in its slot (每斤卖多少钱？); before a
        unit is chosen the slot says what the unit question is called."""
        unit_field = next((f for f in self.service.fields if f.id == field.unit_from), None)
        return field.prompt_parts(self.chosen_unit(field) or (unit_field.label if unit_field else ""))

    def chosen_unit(self, field: Field, answers: dict | None = None) -> str:
        """The label of the unit she chose for ``field`` (斤), or nothing."""
        unit_field = next((f for f in self.service.fields if f.id == field.unit_from), None)
        chosen = (answers or self.answers).get(field.unit_from) if unit_field is not None else None
        return next((c.label for c in unit_field.choices if c.id == chosen), "") if chosen is not None else ""

    def payload(self) -> dict:
        """The request from the answers that apply: one left from a choice she changed is not sent."""
        applying = {f.id for f in self.service.fields_for(self._all_answers())}
        answers = {k: v for k, v in self.answers.items() if k in applying}
        photos = {k: v for k, v in self.photos.items() if k in applying}
        return validate(self.service, answers, photos)


def typed(field: Field, entry: str, key: str, unit: str = "") -> tuple[str, Spoken | None]:
    """``entry`` after a keypad key, or the entry unchanged and why that key cannot be right here: a 12th
    phone digit, a second point, more decimals than the field allows, a point in a whole number, a
    number longer than the largest the field takes."""
    if key == DELETE:
        return entry[:-1], None
    if key == ".":  # typed as text (a guide's example answer): the 点 key
        key = POINT
    if key != POINT and not key.isdigit():
        return entry, None
    if field.type == "phone":
        return (entry, PHONE_FULL) if len(entry) >= PHONE_DIGITS else (entry + key, None)
    decimals = decimals_allowed(field)
    whole, point, fraction = entry.partition(".")
    if key == POINT:
        if decimals == 0:
            return entry, WHOLE_ONLY
        return (entry, ONE_POINT) if point else ((entry or "0") + ".", None)
    if point:
        if len(fraction) >= decimals:
            return entry, [DECIMALS, f" {decimals} ", PLACES_END]
        return entry + key, None
    if field.maximum is not None and len(str(int(whole + key))) > len(str(int(field.maximum))):
        return entry, [LARGEST, f" {field.maximum:g} {unit}", "。"]
    return (key if whole == "0" else entry + key), None


def entry_of(value: object) -> str:
    """An answer as the keypad shows it when she comes back to it (12.5, 30, 13912345678)."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def choice_named(choices: tuple[Choice, ...], named: str) -> Choice | None:
    """The choice a named thing is: by its label (水果, 鸡蛋 for 鸡蛋禽类), or by a thing it covers
    (土豆 is 蔬菜), the longest word found in what she said winning (鸡蛋 before 鸡)."""
    best, length = None, 0
    for choice in choices:
        said = [len(word) for word in (choice.label, *choice.voice) if word and word in named]
        if named in choice.label:  # 鸡蛋 is in 鸡蛋禽类
            said.append(len(named))
        if said and max(said) > length:
            best, length = choice, max(said)
    return best


MAX_CHOICES = 5  # on one villager screen (DESIGN.md §8)


def choice_pages(options: list, per_screen: int = MAX_CHOICES) -> list[list]:
    """Split a long list so that every screen has at most ``per_screen`` buttons, one of them
    「还有别的」 when there is more: 7 options give pages of 4 and 3."""
    if len(options) <= per_screen:
        return [list(options)]
    step = per_screen - 1
    return [list(options[i : i + step]) for i in range(0, len(options), step)]
