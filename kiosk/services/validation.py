"""Check a filled-in request against its service's fields before anything is queued.

A wrong answer raises ``InvalidAnswer``: the technician's line names the field (``kiosk submit``);
``said`` is what the villager sees and hears instead, in plain words that say what to do next,
made of keyed lines (kiosk/voice/lines.py) and the numbers between them.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput
from kiosk.voice.lines import phrase, text_of

if TYPE_CHECKING:
    from kiosk.services.catalogue import Field, Service
    from kiosk.voice.lines import Spoken

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MONEY_UNIT = "元"
BETWEEN = phrase("screen.form.error.between", "要在")
AND = phrase("screen.form.error.and", "到")
WITHIN = phrase("screen.form.error.within", "之间，")
NOT_BELOW = phrase("screen.form.error.not_below", "不能少于")
RETYPE = phrase("screen.form.error.retype", "请重新输入。")
A_NUMBER = phrase("screen.form.error.number", "要填一个数，")
WHOLE = phrase("screen.form.error.whole", "要填整数，不带小数点，")
DECIMALS = phrase("screen.form.error.decimals", "小数点后最多")
PLACES = phrase("screen.form.error.places", "位，")
PHONE = phrase("screen.form.error.phone", "要填 11 位手机号码，1 开头，")
PHONE_SECOND = phrase("screen.form.error.phone_second", "不像手机号码：第二位应是 3 到 9，")
CHOOSE = phrase("screen.form.error.choose", "请从给出的几项里点一项。")
DATE = phrase("screen.form.error.date", "要写成 2024-05-01 这样，")
MISSING = phrase("screen.form.error.missing", "还没有填，请填上。")
AT_MOST = phrase("screen.form.error.at_most", "最多")
CHARS = phrase("screen.form.error.chars", "个字，请写短一些。")
NO_PHOTO = phrase("screen.form.error.no_photo", "还没有拍照片，请拍一张。")
NOT_ASKED = phrase("screen.form.error.not_asked", "这一项不用填。")


class InvalidAnswer(InvalidInput):
    """One answer is wrong. ``message`` names the field for a technician; ``said`` tells the villager."""

    def __init__(self, item: Field, said: Spoken, detail: str | None = None) -> None:
        super().__init__(f"字段 {item.id}（{item.label}）：{detail or text_of(said)}")
        self.field = item
        self.said = said

    @property
    def plain(self) -> str:
        return text_of(self.said)


def validate(service: Service, payload: dict, photos: dict[str, bytes] | None = None) -> dict:
    """Return the cleaned payload; raise InvalidAnswer naming the first field that is wrong.

    Photo fields are not part of the payload: their bytes come in ``photos`` and travel as attachments.
    A field whose condition (``when``) does not hold must not be given: it was never asked.
    """
    if not isinstance(payload, dict):
        raise InvalidInput('内容应是一个 JSON 对象，例如 {"topic": "pension"}')
    photos = photos or {}
    known = {f.id for f in service.fields}
    unknown = sorted(set(payload) - known)
    if unknown:
        raise InvalidInput(f"{service.label}没有这个字段：{unknown[0]}（可填：{', '.join(sorted(known)) or '无'}）")
    cleaned: dict = {}
    for item in service.fields:
        given = photos.get(item.id) if item.type == "photo" else payload.get(item.id)
        if not item.applies(cleaned):
            if given is not None and given != "":
                raise InvalidAnswer(item, [item.label, NOT_ASKED], f"只在{service.condition_words(item)}时填写")
            continue
        if item.type == "photo":
            if item.required and not given:
                raise InvalidAnswer(item, [item.label, NO_PHOTO], "缺少照片")
            continue
        if given is None or given == "":
            if item.required:
                raise InvalidAnswer(item, [item.label, MISSING], "必须填写")
            continue
        cleaned[item.id] = check_field(item, given)
    return cleaned


def condition_problem(service: Service, payload: dict) -> str | None:
    """How ``payload`` breaks the catalogue's conditions, in one line, or None: an answer given to a
    question that does not apply, or a required one that applies left out. (The province's check.)"""
    counted: dict = {}
    for item in service.fields:
        given = payload.get(item.id)
        if not item.applies(counted):
            if given is not None and given != "":
                return f"「{item.label}」只在{service.condition_words(item)}时填写"
            continue
        if item.when and item.required and item.type != "photo" and (given is None or given == ""):
            return f"缺少「{item.label}」：{service.condition_words(item)}时要填"
        if given is not None:
            counted[item.id] = given
    return None


def check_field(item: Field, value: object, unit: str = "") -> object:
    """The cleaned value of one answer, or InvalidAnswer saying what to write instead.

    ``unit``: what the number is counted in when another answer says it (数量 in 斤)."""
    if item.type == "choice":
        if value not in [c.id for c in item.choices]:
            raise InvalidAnswer(item, [item.label, "，", CHOOSE], f"只能选 {', '.join(c.id for c in item.choices)}")
        return value
    if item.type in ("number", "money"):
        return _number(item, value, unit)
    if item.type == "phone":
        if not isinstance(value, str) or not MOBILE.match(value):
            # 11 digits from 1 that still are no mobile number: say what is wrong, not what she did
            looks_right = isinstance(value, str) and len(value) == 11 and value.isdigit() and value[0] == "1"
            said = [item.label, PHONE_SECOND if looks_right else PHONE, RETYPE]
            raise InvalidAnswer(item, said, "应是 11 位手机号码")
        return value
    if item.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise InvalidAnswer(item, [item.label, DATE, RETYPE], "日期应写成 2024-05-01 这样") from None
    text = str(value).strip() if isinstance(value, str) else None
    wanted = f"应是不超过 {item.max_length or '很多'} 个字的文字"
    if not text:
        raise InvalidAnswer(item, [item.label, MISSING], wanted)
    if item.max_length and len(text) > item.max_length:
        raise InvalidAnswer(item, [item.label, AT_MOST, f" {item.max_length} ", CHARS], wanted)
    return text


def decimals_allowed(item: Field) -> int:
    """Places after the point: money has fen; a number as the catalogue says; a phone number none."""
    return 2 if item.type == "money" else (item.decimals or 0)


def _number(item: Field, value: object, unit: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidAnswer(item, [item.label, A_NUMBER, RETYPE], "应是数字")
    decimals = decimals_allowed(item)
    if round(value, decimals) != value:
        said = [item.label, WHOLE, RETYPE] if decimals == 0 else [item.label, DECIMALS, f" {decimals} ", PLACES, RETYPE]
        raise InvalidAnswer(item, said, f"最多 {decimals} 位小数")
    low = item.minimum if item.minimum is not None else 0
    high = item.maximum if item.maximum is not None else math.inf
    if not low <= value <= high:
        unit = MONEY_UNIT if item.type == "money" else (item.unit or unit)
        if math.isinf(high):
            said = [item.label, NOT_BELOW, f" {low:g} {unit}", "，", RETYPE]
        else:
            said = [item.label, BETWEEN, f" {low:g} ", AND, f" {high:g} {unit}", WITHIN, RETYPE]
        raise InvalidAnswer(item, said, f"应在 {low:g} 到 {high:g} 之间")
    return value
