"""Resident ID numbers (GB 11643-1999): check digit, birth date, sex, masking and speech.

A villager's number is never shown or spoken whole: the screen shows the first four and last
four characters (``4101**********123X``) and the voice reads those digit by digit, saying the
hidden part as hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kiosk.errors import InvalidInput

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
SHAPE = re.compile(r"^\d{17}[\dX]$")
DIGIT_WORDS = dict(zip("0123456789X", ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "叉"), strict=True))
SHOWN = 4


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "男" or "女", from the order code's parity

    @property
    def masked(self) -> str:
        return mask(self.value)


def parse(text: str, today: date | None = None) -> IdNumber:
    value = text.strip().upper()
    if not SHAPE.match(value):
        raise InvalidInput("身份证号应是 18 位：17 位数字加最后一位数字或 X")
    if check_char(value[:17]) != value[17]:
        raise InvalidInput("身份证号的最后一位对不上，可能输错了一位")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidInput("身份证号里的出生日期不存在") from None
    if not date(1900, 1, 1) <= born <= (today or date.today()):
        raise InvalidInput("身份证号里的出生日期不对")
    return IdNumber(value, born, "男" if int(value[16]) % 2 else "女")


def mask(value: str, shown: int = SHOWN) -> str:
    if len(value) <= 2 * shown:
        return "*" * len(value)
    return value[:shown] + "*" * (len(value) - 2 * shown) + value[-shown:]


def mask_name(name: str) -> str:
    """``张*英``, ``张*``: enough for the villager to recognise, not enough for an onlooker."""
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """``138****8000``, the way phone numbers are shown everywhere in China."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else mask(phone, 1)
