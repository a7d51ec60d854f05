"""Text as it should be heard: money and amounts read naturally, numbers that identify a person
read digit by digit (their hidden part said as hidden), dates as dates, receipt codes letter by letter.

Each of those readings is also a list of building blocks (一 千 三 百 … 元 五 角; K 七 Q M), so that a
voice pack can say it by joining recorded blocks, as telephone systems do. ``PAUSE`` in a list of
blocks is the short breath between the two halves of a receipt code or the parts of an ID number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cn2an

from kiosk.identity.idnumber import DIGIT_WORDS

if TYPE_CHECKING:
    from collections.abc import Callable

MONEY = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)\s*元")  # 2,104.50 元 too
# What amounts are counted in, as the screens say them: each a recorded block after its number.
UNITS = ("公斤", "亩", "斤", "箱", "个", "岁", "件", "项", "天", "月", "年", "分钟", "小时", "秒", "次", "步", "页")
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(UNITS) + ")")
PER_UNIT = re.compile(r"/(" + "|".join(UNITS) + ")")  # 2.50元/斤, said 每斤
PER_WORD = "每"
MASKED = re.compile(r"[\dX]{2,}\*+[\dX]{2,}")
LONG_DIGITS = re.compile(r"\d{7,}X?")
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")  # 2026年 is 二零二六年, never 二千零二十六年
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
NUMBER = re.compile(r"\d+(?:\.\d+)?")  # what is left: a count, a step, seconds
RECEIPT = re.compile(r"\b([0-9A-Z]{4})-([0-9A-Z]{4})\b")
LETTER_WORDS = {"0": "零", "1": "幺"}  # 幺 for one in codes, as on the phone: never mistaken for 七
HIDDEN = "中间隐藏"
PERCENT_WORD = "百分之"
PAUSE = "，"


@dataclass(frozen=True)
class Reading:
    """A number, amount, date or code as said aloud: the words, and the blocks they are made of."""

    spoken: str
    blocks: tuple[str, ...]


def _number_blocks(value: int | float | str) -> list[str]:
    return list(cn2an.an2cn(value))  # every character of a Chinese numeral is one block


def read_money(match: re.Match) -> Reading:
    value = float(match.group(1).replace(",", ""))
    yuan = int(value)
    jiao, fen = divmod(round((value - yuan) * 100), 10)
    blocks: list[str] = []
    if yuan or not (jiao or fen):
        blocks += [*_number_blocks(yuan), "元"]
    if jiao:
        blocks += [*_number_blocks(jiao), "角"]
    if fen:
        blocks += [*(["零"] if yuan and not jiao else []), *_number_blocks(fen), "分"]
    return Reading("".join(blocks), tuple(blocks))


def read_per_unit(match: re.Match) -> Reading:
    return Reading(PER_WORD + match.group(1), (PER_WORD, match.group(1)))


def read_amount(match: re.Match) -> Reading:
    blocks = [*_number_blocks(match.group(1)), match.group(2)]
    return Reading("".join(blocks), tuple(blocks))


def read_date(match: re.Match) -> Reading:
    blocks = [DIGIT_WORDS[d] for d in match.group(1)] + ["年"]
    blocks += [*_number_blocks(int(match.group(2))), "月", *_number_blocks(int(match.group(3))), "日"]
    return Reading("".join(blocks), tuple(blocks))


def read_year(match: re.Match) -> Reading:
    blocks = [*(DIGIT_WORDS[d] for d in match.group(1)), "年"]
    return Reading("".join(blocks), tuple(blocks))


def read_receipt(match: re.Match) -> Reading:
    def say(c: str) -> str:
        return LETTER_WORDS.get(c, DIGIT_WORDS[c]) if c.isdigit() else c

    halves = [[say(c) for c in half] for half in (match.group(1), match.group(2))]
    return Reading(PAUSE.join(" ".join(half) for half in halves), (*halves[0], PAUSE, *halves[1]))


def read_masked(match: re.Match) -> Reading:
    """Digits one by one, the hidden run said once as hidden: ``四一零一，中间隐藏，一二三叉``."""
    groups = []
    for part in re.split(r"(\*+)", match.group(0)):
        if part:
            groups.append([HIDDEN] if part.startswith("*") else [DIGIT_WORDS[c] for c in part])
    blocks = [block for group in _joined(groups) for block in group]
    return Reading("".join(blocks), tuple(blocks))


def read_percent(match: re.Match) -> Reading:
    blocks = [PERCENT_WORD, *_number_blocks(match.group(1))]
    return Reading("".join(blocks), tuple(blocks))


def read_number(match: re.Match) -> Reading:
    blocks = _number_blocks(match.group(0))
    return Reading("".join(blocks), tuple(blocks))


def read_digits(match: re.Match) -> Reading:
    blocks = [DIGIT_WORDS[c] for c in match.group(0)]
    return Reading("".join(blocks), tuple(blocks))


def _joined(groups: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for group in groups:
        if out:
            out.append([PAUSE])
        out.append(group)
    return out


# In this order: an ID number's digits are not money, a date is not three amounts.
READERS: tuple[tuple[re.Pattern, Callable[[re.Match], Reading]], ...] = (
    (MASKED, read_masked),
    (DATE, read_date),
    (YEAR, read_year),
    (RECEIPT, read_receipt),
    (MONEY, read_money),
    (PER_UNIT, read_per_unit),
    (AMOUNT, read_amount),
    (LONG_DIGITS, read_digits),
    (PERCENT, read_percent),
    (NUMBER, read_number),
)


def readings(text: str) -> list[str | Reading]:
    """``text`` cut into plain stretches and the readings of its numbers, amounts, dates and codes."""
    parts: list[str | Reading] = [text]
    for pattern, read in READERS:
        cut: list[str | Reading] = []
        for part in parts:
            if isinstance(part, Reading):
                cut.append(part)
                continue
            at = 0
            for match in pattern.finditer(part):
                if match.start() > at:
                    cut.append(part[at : match.start()])
                cut.append(read(match))
                at = match.end()
            if at < len(part):
                cut.append(part[at:])
        parts = cut
    return parts


def for_speech(text: str) -> str:
    return "".join(part.spoken if isinstance(part, Reading) else part for part in readings(text))
