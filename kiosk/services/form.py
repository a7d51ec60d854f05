"""A service's questions as a villager meets them: one field per screen, then a read-back to confirm.

Pure Python (no Qt): the UI shows ``step`` and calls ``answer``/``back``; ``payload`` is the
validated request once every answer is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput
from kiosk.identity.idnumber import mask_name, mask_phone
from kiosk.services.validation import check_field, validate

if TYPE_CHECKING:
    from kiosk.services.catalogue import Choice, Field, Service

CONFIRM = "confirm"
PHOTO_TAKEN, NO_PHOTO, NOT_FILLED = "已拍好", "没有", "没有填"  # in the read-back


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    total: int
    field: Field | None  # None on the confirmation step

    @property
    def label(self) -> str:
        return f"第 {self.number} 步 / 共 {self.total} 步"


class FormSession:
    def __init__(
        self,
        service: Service,
        given_photos: dict[str, bytes] | None = None,
        given_answers: dict[str, object] | None = None,
    ) -> None:
        """``given_photos``, ``given_answers``: fields answered elsewhere (the live face, the seller's name
        from check-in): not asked."""
        self.service = service
        self.photos: dict[str, bytes] = dict(given_photos or {})
        self.answers: dict[str, object] = {}
        self.offered: dict[str, tuple[str, Choice]] = {}  # field: (what she named, the choice it is)
        for field in service.fields:
            if given_answers and field.id in given_answers:
                self.answers[field.id] = check_field(field, given_answers[field.id])
        self._given = set(self.answers)
        self._fields = [f for f in service.fields if f.id not in self.photos and f.id not in self._given]
        self._position = 0

    @property
    def step(self) -> Step:
        total = len(self._fields) + 1
        field = self._fields[self._position] if self._position < len(self._fields) else None
        return Step(self._position + 1, total, field)

    def answer(self, value: object) -> None:
        """Keep the answer to the current question (checked) and move to the next step."""
        field = self.step.field
        if field is None:
            raise InvalidInput("已经填完了，请核对")
        if field.type == "photo":
            if not isinstance(value, bytes) or not value:
                raise InvalidInput("还没有拍到照片，请再拍一张")
            self.photos[field.id] = value
        else:
            self.answers[field.id] = check_field(field, value)
        self._position += 1

    def offer(self, field_id: str, named: str) -> Choice | None:
        """She named a thing when she asked (卖土豆): its choice is offered first at that question."""
        field = next((f for f in self._fields if f.id == field_id and f.type == "choice"), None)
        choice = choice_named(field.choices, named) if field is not None else None
        if choice is not None:
            self.offered[field_id] = (named, choice)
        return choice

    def prefill(self, payload: dict) -> None:
        """Answers from a request the province sent back, to be fixed: the form opens at the read-back,
        from where 「不对，改一下」 steps back to any question."""
        for field in self._fields:
            if field.type != "photo" and field.id in payload:
                self.answers[field.id] = check_field(field, payload[field.id])
        self._position = len(self._fields)

    def back(self) -> bool:
        """One step back; False when already at the first question (the caller leaves the form)."""
        if self._position == 0:
            return False
        self._position -= 1
        return True

    def read_back(self) -> list[tuple[str, str]]:
        """(label, what the villager chose) for the confirmation screen: personal numbers masked."""
        lines = []
        for field in self.service.fields:
            if field.type == "photo":
                lines.append((field.label, PHOTO_TAKEN if field.id in self.photos else NO_PHOTO))
                continue
            value = self.answers.get(field.id)
            lines.append((field.label, self._show(field, value)))
        return lines

    def _show(self, field: Field, value: object) -> str:
        if value is None:
            return NOT_FILLED
        if field.type == "choice":
            return next((c.label for c in field.choices if c.id == value), str(value))
        if field.type == "money":
            per = self._unit_from_answers(field)  # 2.50元/斤
            return f"{value:.2f}元/{per}" if per else f"{value:.2f}元"
        if field.type == "phone":
            return mask_phone(str(value))
        if field.id in self._given and field.personal:  # from the card: shown as the welcome shows it
            return mask_name(str(value))
        unit = field.unit or self._unit_from_answers(field)
        return f"{value:g}{unit}" if isinstance(value, (int, float)) else str(value)

    def _unit_from_answers(self, field: Field) -> str:
        unit_field = next((f for f in self._fields if f.id == "unit"), None)
        if field.id in ("quantity", "price") and unit_field is not None and "unit" in self.answers:
            return self._show(unit_field, self.answers["unit"])
        return ""

    def payload(self) -> dict:
        return validate(self.service, self.answers, self.photos)


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
