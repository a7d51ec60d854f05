"""From what the recogniser heard to what the villager wants.

Spaces are removed; ``[unk]`` or nothing is no command. A phrase found in the text wins (the
longest, so 不对 beats 对); a phrase just after 不/别/没 (不社保, 不查社保) does not count. Otherwise phrases are
compared by pinyin without tones, forgiving the slips of local accents (zh/z, ch/c, sh/s, n/l,
f/h, -ng/-n), so 社保 heard as 涉保 still means the social-security query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEGATIONS = "不别没"
NOISE = re.compile(r"[\s，。！？、,.!?]|\[unk\]")
FUZZY = ((r"^zh", "z"), (r"^ch", "c"), (r"^sh", "s"), (r"^l", "n"), (r"^h(?=u)", "f"), (r"ng$", "n"))


@dataclass(frozen=True)
class Intent:
    name: str
    phrase: str
    value: int | None = None


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    result = []
    for syllable in lazy_pinyin(text, style=Style.NORMAL, errors="ignore"):
        for pattern, replacement in FUZZY:
            syllable = re.sub(pattern, replacement, syllable)
        result.append(syllable)
    return result


def _find(haystack: list, needle: list) -> int:
    for start in range(len(haystack) - len(needle) + 1):
        if haystack[start : start + len(needle)] == needle:
            return start
    return -1


class IntentMatcher:
    def __init__(self, intents: dict[str, list[str]]) -> None:
        pairs = [(intent, phrase) for intent, phrases in intents.items() for phrase in phrases]
        self._phrases = sorted(pairs, key=lambda pair: len(pair[1]), reverse=True)
        self._sounds = [(intent, phrase, _syllables(phrase)) for intent, phrase in self._phrases]

    def match(self, heard: str) -> Intent | None:
        text = NOISE.sub("", heard)
        if not text:
            return None
        for intent, phrase in self._phrases:
            at = text.find(phrase)
            while at >= 0:
                if not _negated(text, at, phrase):
                    return Intent(intent, phrase)
                at = text.find(phrase, at + 1)
        sounds = _syllables(text)
        for intent, phrase, phrase_sounds in self._sounds:
            at = _find(sounds, phrase_sounds)
            if at >= 0 and not _negated(text, at, phrase):
                return Intent(intent, phrase)
        return None


def _negated(text: str, at: int, phrase: str) -> bool:
    return phrase[0] not in NEGATIONS and any(c in NEGATIONS for c in text[max(0, at - 2) : at])


def spoken_number(heard: str) -> int | None:
    """三十五 → 35, 两百 → 200, 12 → 12; None when there is no number in it."""
    import cn2an

    text = NOISE.sub("", heard).replace("两", "二")
    converted = cn2an.transform(text, "cn2an")
    digits = re.search(r"\d+", converted)
    return int(digits.group()) if digits else None
