"""Check a filled-in request against its service's fields before anything is queued."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput

if TYPE_CHECKING:
    from kiosk.services.catalogue import Field, Service

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def validate(service: Service, payload: dict, photos: dict[str, bytes] | None = None) -> dict:
    """Return the cleaned payload; raise InvalidInput naming the first field that is wrong.

    Photo fields are not part of the payload: their bytes come in ``photos`` and travel as attachments.
    """
    if not isinstance(payload, dict):
        raise InvalidInput('内容应是一个 JSON 对象，例如 {"topic": "pension"}')
    photos = photos or {}
    known = {f.id for f in service.fields}
    unknown = sorted(set(payload) - known)
    if unknown:
        raise InvalidInput(f"{service.label}没有这个字段：{unknown[0]}（可填：{', '.join(sorted(known)) or '无'}）")
    cleaned = {}
    for item in service.fields:
        if item.type == "photo":
            if item.required and not photos.get(item.id):
                raise InvalidInput(f"字段 {item.id}（{item.label}）：缺少照片")
            continue
        value = payload.get(item.id)
        if value is None or value == "":
            if item.required:
                raise InvalidInput(f"字段 {item.id}（{item.label}）：必须填写")
            continue
        cleaned[item.id] = check_field(item, value)
    return cleaned


def check_field(item: Field, value: object) -> object:
    """The cleaned value of one answer, or InvalidInput saying what to write instead."""
    where = f"字段 {item.id}（{item.label}）"
    if item.type == "choice":
        ids = [c.id for c in item.choices]
        if value not in ids:
            raise InvalidInput(f"{where}：只能选 {', '.join(ids)}")
        return value
    if item.type in ("number", "money"):
        return _number(item, value, where)
    if item.type == "phone":
        if not isinstance(value, str) or not MOBILE.match(value):
            raise InvalidInput(f"{where}：应是 11 位手机号码")
        return value
    if item.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise InvalidInput(f"{where}：日期应写成 2024-05-01 这样") from None
    text = str(value).strip() if isinstance(value, str) else None
    if not text or (item.max_length and len(text) > item.max_length):
        raise InvalidInput(f"{where}：应是不超过 {item.max_length or '很多'} 个字的文字")
    return text


def _number(item: Field, value: object, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInput(f"{where}：应是数字")
    decimals = 2 if item.type == "money" else (item.decimals or 0)
    if round(value, decimals) != value:
        raise InvalidInput(f"{where}：最多 {decimals} 位小数")
    low = item.minimum if item.minimum is not None else 0
    high = item.maximum if item.maximum is not None else math.inf
    if not low <= value <= high:
        raise InvalidInput(f"{where}：应在 {low:g} 到 {high:g} 之间")
    return value
