"""What to play for a text: the station's recordings where the pack has them, text-to-speech for the rest.

A text is read the way ``normalize`` reads it. Fixed lines are found in it by their text, at the
edges of sentences and clauses (a screen says 「社保查询。可以查养老金、医保余额和缴费记录。」: two
lines), or named by key (``LineRef``, or a ``Phrase``: a keyed text). A ``Free`` part is dynamic and
never searched for lines. Numbers, money, dates and codes become their building blocks
(二 千 三 百 五 十 元 五 角; K 七 Q M), joined from recordings as telephone systems do, but only when
every block of that number is recorded: one number is never said in two voices. What is left (a
name, a free-text answer, a line nobody recorded) is spoken by text-to-speech, neighbouring pieces
together in one segment, so a kiosk with no pack speaks exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.voice.lines import Free, Line, LineRef, LineRegistry, Phrase, build_registry
from kiosk.voice.normalize import PAUSE, Reading, readings
from kiosk.voice.pack import VoicePack

if TYPE_CHECKING:
    from pathlib import Path

CLIP, TTS = "clip", "tts"
LONG_PAUSE = "。！？!?."
SHORT_PAUSE = "，、；：,;:"
BOUNDARY = set(LONG_PAUSE + SHORT_PAUSE + '“”"（）() \n\t')
PAUSES_S = {"long": 0.45, "short": 0.25, "space": 0.08}

Spoken = str | Sequence[str | LineRef]


@dataclass(frozen=True)
class Segment:
    kind: str  # CLIP: a recording from the pack; TTS: text-to-speech
    text: str
    key: str | None = None  # the line or block it says, when it is one
    path: Path | None = None  # the recording (clips)
    pause_s: float = 0.0  # silence after it


class SpeechPlanner:
    def __init__(self, registry: LineRegistry, pack: VoicePack | None = None) -> None:
        self.registry = registry
        self.pack = pack
        self._by_first: dict[str, list[Line]] = {}
        for line in registry.sentences():
            self._by_first.setdefault(line.text[0], []).append(line)

    def plan(self, spoken: Spoken) -> list[Segment]:
        items = [spoken] if isinstance(spoken, str) else list(spoken)
        segments: list[Segment] = []
        for item in items:
            line = self._keyed(item)
            if line is not None:
                self._line(line, segments)
            elif isinstance(item, Free):
                self._free(item, segments)
            else:
                for part in self._find_lines(item):
                    if isinstance(part, Line):
                        self._line(part, segments)
                    else:
                        self._free(part, segments)
        return _merged(segments)

    def unkeyed(self, spoken: Spoken) -> list[str]:
        """What in ``spoken`` no voice pack could ever say: plain text that is neither a registered line,
        nor a number, amount, date or code, nor marked ``Free``; and keyed parts the registry lacks or
        knows by another text. A screen that speaks only keyed lines and marked dynamic parts gives []."""
        items = [spoken] if isinstance(spoken, str) else list(spoken)
        found = []
        for item in items:
            if isinstance(item, (LineRef, Phrase)):
                known = item.key in self.registry
                if not known or (isinstance(item, Phrase) and self.registry.get(item.key).text != item):
                    found.append(f"{item.key}（{'不在登记表里' if not known else '文字和登记的不同'}）")
            elif not isinstance(item, Free):
                for part in self._find_lines(item):
                    if isinstance(part, str):
                        found += [p.strip() for p in readings(part) if isinstance(p, str) and _words(p)]
        return found

    def _keyed(self, item: str | LineRef) -> Line | None:
        if isinstance(item, LineRef):
            return self.registry.get(item.key)
        if isinstance(item, Phrase) and item.key in self.registry:
            return self.registry.get(item.key)
        return None

    def _clip(self, line: Line | None) -> Path | None:
        return self.pack.clip(line) if self.pack is not None and line is not None else None

    def _line(self, line: Line, segments: list[Segment]) -> None:
        path = self._clip(line)
        kind = CLIP if path is not None else TTS
        segments.append(Segment(kind, line.text, line.key, path, _pause_of(line.text[-1])))

    def _free(self, text: str, segments: list[Segment]) -> None:
        for part in readings(text):
            if isinstance(part, Reading):
                self._reading(part, segments)
                continue
            if not _words(part):
                _pause_after(segments, part)
            else:
                segments.append(Segment(TTS, part, pause_s=_pause_of(part[-1])))

    def _reading(self, reading: Reading, segments: list[Segment]) -> None:
        blocks = [block for block in reading.blocks if block != PAUSE]
        lines = [self.registry.block(block) for block in blocks]
        paths = [self._clip(line) for line in lines]
        if not blocks or any(path is None for path in paths):
            segments.append(Segment(TTS, reading.spoken))
            return
        found = iter(zip(lines, paths, strict=True))
        for block in reading.blocks:
            if block == PAUSE:
                _pause_after(segments, PAUSE)
            else:
                line, path = next(found)
                segments.append(Segment(CLIP, line.text, line.key, path))

    def _find_lines(self, text: str) -> list[str | Line]:
        """``text`` cut into the registered lines found at clause edges and the free text between them."""
        parts: list[str | Line] = []
        at = free_from = 0
        while at < len(text):
            line = self._line_at(text, at) if at == 0 or text[at - 1] in BOUNDARY else None
            if line is None:
                at += 1
                continue
            if at > free_from:
                parts.append(text[free_from:at])
            parts.append(line)
            at = free_from = at + len(line.text)
        if free_from < len(text):
            parts.append(text[free_from:])
        return parts

    def _line_at(self, text: str, at: int) -> Line | None:
        for line in self._by_first.get(text[at], ()):
            end = at + len(line.text)
            if text.startswith(line.text, at) and (
                end == len(text) or text[end] in BOUNDARY or line.text[-1] in BOUNDARY
            ):
                return line
        return None


def _words(text: str) -> str:
    return text.strip("".join(BOUNDARY) + "「」《》·…—/")


def _pause_of(char: str) -> float:
    if char in LONG_PAUSE:
        return PAUSES_S["long"]
    if char in SHORT_PAUSE:
        return PAUSES_S["short"]
    return PAUSES_S["space"] if char.isspace() else 0.0


def _pause_after(segments: list[Segment], punctuation: str) -> None:
    """Punctuation between two pieces is a pause after the first (the longest it asks for)."""
    if not segments:
        return
    pause = max((_pause_of(c) for c in punctuation), default=0.0)
    last = segments[-1]
    if last.kind == TTS:
        segments[-1] = Segment(TTS, last.text + punctuation, last.key, None, max(last.pause_s, pause))
    else:
        segments[-1] = Segment(CLIP, last.text, last.key, last.path, max(last.pause_s, pause))


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring text-to-speech pieces as one: fewer renders, and espeak's own phrasing across them."""
    out: list[Segment] = []
    for segment in segments:
        if out and segment.kind == TTS and out[-1].kind == TTS:
            previous = out[-1]
            out[-1] = Segment(TTS, previous.text + segment.text, None, None, segment.pause_s)
        else:
            out.append(segment)
    return out


def station_registry(screen_lines: Iterable[Line] = (), station: str | None = None) -> LineRegistry:
    """Every line this kiosk speaks: the blocks, its catalogue and guides (as fetched), and the screens'.

    The station's name is the one home shows: ``station``, else the configured ``station_name``.
    """
    from kiosk.config import load_config
    from kiosk.services.reference import reference_files

    files = reference_files()
    station = station if station is not None else load_config().station_name
    return build_registry(files.catalogue(), files.guides(), screen_lines, station)


def open_planner(pack_folder: Path, screen_lines: Iterable[Line] = (), station: str | None = None) -> SpeechPlanner:
    return SpeechPlanner(station_registry(screen_lines, station), VoicePack.open(pack_folder))
