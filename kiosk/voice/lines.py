"""Every fixed line the kiosk speaks, under a stable key, grouped by the screen it belongs to.

A voice pack is a set of recordings under these keys. Keys never contain the text, so a county can
reword a prompt and the kiosk notices that the old recording no longer says it (the pack keeps the
text each recording was made for). Three sources fill the registry:

- the building blocks of numbers, money, dates and codes (``block.*``), declared here;
- the catalogue's own lines (``service.*``, ``guide.*``), from the catalogue and guides;
- the screens' fixed lines (titles, prompts, choices, errors, fixed phrases), each declared with
  ``phrase()`` where it is used (``screen.*``) and passed in as ``screen_lines``.

What a screen asks to be said is a ``Spoken``: a text, or a list of parts. A ``Phrase`` is a fixed
line's text that keeps its key (it is a ``str``, so labels show it as they always did); a ``Free`` part
is explicitly dynamic (a name, a free-text answer, the province's words): said by text-to-speech,
its numbers and codes joined from recorded blocks. Plain text is searched for registered lines.
This module stays light (it is imported by every screen at start-up): nothing heavy at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from kiosk.services.catalogue import Catalogue
    from kiosk.services.guides import Guide

KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
BLOCKS_GROUP = "blocks"
DIGITS = "零一二三四五六七八九"
NUMBER_WORDS = (("ten", "十"), ("hundred", "百"), ("thousand", "千"), ("wan", "万"), ("yi", "亿"))
MONEY_WORDS = (("yuan", "元"), ("jiao", "角"), ("fen", "分"))
DATE_WORDS = (("year", "年"), ("month", "月"), ("day", "日"))
OTHER_BLOCKS = (("point", "点"), ("yao", "幺"), ("liang", "两"), ("x", "叉"))
SCREEN = "screen"


class LineError(ValueError):
    pass


@dataclass(frozen=True)
class Line:
    key: str
    text: str
    group: str  # the screen (or "blocks") whose list of lines to record it appears in

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise LineError(f"line key {self.key!r}: lower-case words joined by dots")
        if not self.text.strip():
            raise LineError(f"line {self.key} has no text")


@dataclass(frozen=True)
class LineRef:
    """A fixed line named by its key, in what a screen asks to be said (the text comes from the registry)."""

    key: str


if TYPE_CHECKING:
    Spoken = str | Sequence[str | LineRef]  # what a screen asks to be said


class Phrase(str):
    """A fixed line's text that keeps its key: shown like any text, said from its recording."""

    key: str

    def __new__(cls, key: str, text: str) -> Phrase:
        made = super().__new__(cls, text)
        made.key = key
        return made


class Free(str):
    """A dynamic part of what is said (a name, a free-text answer, the province's words): never a line."""


_DECLARED: dict[str, Line] = {}


def phrase(key: str, text: str) -> Phrase:
    """Declare a screen's fixed line where it is used (``screen.GROUP.NAME``) and give back its keyed text.

    GROUP is the screen whose list of lines to record it appears in. Declaring one key with two texts
    is a mistake caught at import.
    """
    parts = key.split(".")
    if len(parts) < 3 or parts[0] != SCREEN:
        raise LineError(f"screen line key {key!r}: screen.GROUP.NAME")
    line = Line(key, text, parts[1])
    known = _DECLARED.setdefault(key, line)
    if known != line:
        raise LineError(f"line key {key} is declared twice ({known.text!r} and {text!r})")
    return Phrase(key, text)


def declared_lines() -> list[Line]:
    """Every line declared with ``phrase()`` by the modules imported so far."""
    return list(_DECLARED.values())


def text_of(spoken: Spoken) -> str:
    """What ``spoken`` says, as one text (for a label, a log-free check, a test)."""
    if isinstance(spoken, str):
        return spoken
    return "".join(part if isinstance(part, str) else _DECLARED[part.key].text for part in spoken)


class LineRegistry:
    def __init__(self, lines: Iterable[Line] = ()) -> None:
        self._lines: dict[str, Line] = {}
        self._blocks: dict[str, Line] = {}
        for line in lines:
            self.add(line)

    def add(self, line: Line) -> None:
        known = self._lines.get(line.key)
        if known is not None and known != line:
            raise LineError(f"line key {line.key} is used twice ({known.text!r} and {line.text!r})")
        self._lines[line.key] = line
        if line.group == BLOCKS_GROUP:
            self._blocks.setdefault(line.text, line)

    def __contains__(self, key: str) -> bool:
        return key in self._lines

    def __iter__(self) -> Iterator[Line]:
        return iter(self._lines.values())

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, key: str) -> Line:
        try:
            return self._lines[key]
        except KeyError:
            raise LineError(f"no line {key}") from None

    def block(self, text: str) -> Line | None:
        """The building block that says ``text`` (一, 千, 元, K …), if there is one."""
        return self._blocks.get(text)

    def sentences(self) -> list[Line]:
        """The lines that are not building blocks, longest first (as the speech planner looks for them)."""
        return sorted((line for line in self if line.group != BLOCKS_GROUP), key=lambda line: -len(line.text))

    def groups(self) -> dict[str, list[Line]]:
        grouped: dict[str, list[Line]] = {}
        for line in self:
            grouped.setdefault(line.group, []).append(line)
        return grouped


def block_lines(units: Iterable[str] = (), letters: str = "") -> list[Line]:
    """Digits, 十 百 千 万, 点, 元 角 分, 年 月 日, the units and the letters of the receipt alphabet."""
    from kiosk.voice.normalize import HIDDEN, PER_WORD, PERCENT_WORD

    lines = [Line(f"block.digit.{n}", word, BLOCKS_GROUP) for n, word in enumerate(DIGITS)]
    blocks = (
        *NUMBER_WORDS,
        *MONEY_WORDS,
        *DATE_WORDS,
        *OTHER_BLOCKS,
        ("hidden", HIDDEN),
        ("percent", PERCENT_WORD),
        ("per", PER_WORD),
    )
    for name, word in blocks:
        lines.append(Line(f"block.{name}", word, BLOCKS_GROUP))
    said = {line.text for line in lines}
    for unit in dict.fromkeys(units):
        if unit not in said:
            lines.append(Line(f"block.unit.{_ascii(unit)}", unit, BLOCKS_GROUP))
            said.add(unit)
    lines += [Line(f"block.letter.{c.lower()}", c, BLOCKS_GROUP) for c in letters if c.isalpha()]
    return lines


def catalogue_lines(catalogue: Catalogue, guides: Iterable[Guide] = (), station: str | None = None) -> list[Line]:
    lines = [Line("station.name", station or catalogue.station, "home")]
    for service in catalogue.services:
        group = f"service.{service.id}"
        lines += [Line(f"{group}.label", service.label, group), Line(f"{group}.prompt", service.prompt, group)]
        for field in service.fields:
            prefix = f"{group}.field.{_key_part(field.id)}"
            lines.append(Line(f"{prefix}.label", field.label, group))
            pieces = field.prompt_parts("")  # a unit slot's unit is a building block, said between them
            lines += [
                Line(f"{prefix}.prompt{'' if len(pieces) == 1 else f'.{n}'}", piece, group)
                for n, piece in enumerate(pieces)
            ]
            lines += [Line(f"{prefix}.choice.{_key_part(c.id)}", c.label, group) for c in field.choices]
    for guide in guides:  # each step is said on its own as it shows
        key = f"guide.{_key_part(guide.id)}"
        lines.append(Line(f"{key}.label", guide.label, "guides"))
        lines += [Line(f"{key}.step.{n}", step.text, "guides") for n, step in enumerate(guide.steps, start=1)]
    return lines


def catalogue_units(catalogue: Catalogue) -> list[str]:
    """The units quantities are counted in: a field's own unit, and the choices of a field named ``unit``."""
    units = []
    for service in catalogue.services:
        for field in service.fields:
            if field.unit:
                units.append(field.unit)
            if field.id == "unit":
                units += [choice.label for choice in field.choices]
    return units


def build_registry(
    catalogue: Catalogue, guides: Iterable[Guide] = (), screen_lines: Iterable[Line] = (), station: str | None = None
) -> LineRegistry:
    """``station``: the name home shows (the configured one), if not the catalogue's own."""
    from kiosk.store.outbox import RECEIPT_ALPHABET
    from kiosk.voice.normalize import UNITS

    registry = LineRegistry(block_lines([*catalogue_units(catalogue), *UNITS], RECEIPT_ALPHABET))
    for line in [*catalogue_lines(catalogue, guides, station), *screen_lines]:
        registry.add(line)
    return registry


def _key_part(identifier: str) -> str:
    part = re.sub(r"[^a-z0-9_]+", "_", identifier.lower()).strip("_")
    return part or _ascii(identifier)


def _ascii(text: str) -> str:
    """A unit's key from its sound with tones (箱 xiang1, 项 xiang4), so two units never share one."""
    from pypinyin import Style, lazy_pinyin

    return "_".join(lazy_pinyin(text, style=Style.TONE3, errors=lambda chars: [f"u{ord(c):x}" for c in chars]))
