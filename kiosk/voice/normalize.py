"""Text as it should be heard: money and amounts read naturally, numbers that identify a person
read digit by digit (their hidden part said as hidden), dates as dates, receipt codes letter by letter.
"""

from __future__ import annotations

import re

import cn2an

from kiosk.identity.idnumber import DIGIT_WORDS, spoken

MONEY = re.compile(r"(\d+(?:\.\d{1,2})?)\s*元")
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(亩|斤|公斤|箱|个|岁|件|项|天|月|年)")
MASKED = re.compile(r"[\dX]{2,}\*+[\dX]{2,}")
LONG_DIGITS = re.compile(r"\d{7,}X?")
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
RECEIPT = re.compile(r"\b([0-9A-Z]{4})-([0-9A-Z]{4})\b")
LETTER_WORDS = {"0": "零", "1": "幺"}  # 幺 for one in codes, as on the phone: never mistaken for 七


def money(text: str) -> str:
    def read(match: re.Match) -> str:
        value = float(match.group(1))
        yuan = int(value)
        jiao, fen = divmod(round((value - yuan) * 100), 10)
        words = f"{cn2an.an2cn(yuan)}元" if yuan or not (jiao or fen) else ""
        if jiao:
            words += f"{cn2an.an2cn(jiao)}角"
        if fen:
            words += f"{'零' if yuan and not jiao else ''}{cn2an.an2cn(fen)}分"
        return words

    return MONEY.sub(read, text)


def amounts(text: str) -> str:
    return AMOUNT.sub(lambda m: cn2an.an2cn(m.group(1)) + m.group(2), text)


def dates(text: str) -> str:
    def read(match: re.Match) -> str:
        year = "".join(DIGIT_WORDS[d] for d in match.group(1))
        return f"{year}年{cn2an.an2cn(int(match.group(2)))}月{cn2an.an2cn(int(match.group(3)))}日"

    return DATE.sub(read, text)


def receipts(text: str) -> str:
    def read(match: re.Match) -> str:
        chars = match.group(1) + match.group(2)

        def say(c: str) -> str:
            return LETTER_WORDS.get(c, DIGIT_WORDS[c]) if c.isdigit() else c

        return "，".join(" ".join(say(c) for c in part) for part in (chars[:4], chars[4:]))

    return RECEIPT.sub(read, text)


def for_speech(text: str) -> str:
    text = MASKED.sub(lambda m: spoken(m.group(0)), text)
    text = dates(text)
    text = receipts(text)
    text = money(text)
    text = amounts(text)
    return LONG_DIGITS.sub(lambda m: "".join(DIGIT_WORDS[c] for c in m.group(0)), text)
