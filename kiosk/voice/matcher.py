"""From what the recogniser heard to what the villager wants.

Spaces are removed; ``[unk]`` or nothing is no command. An action word comes first: 卖 with whatever
she names (卖土豆, 我有红薯要卖) is the farm listing, and the thing she named comes with it; 认证 or 年审
is certification even when she also says 养老金. Then a phrase found in the text wins (the longest, so
不对 beats 对); a word or phrase just after 不/别/没 (不社保, 不查社保, 不卖了) does not count. Otherwise
phrases are compared by pinyin without tones, forgiving the slips of local accents (zh/z, ch/c, sh/s,
n/l, f/h, -ng/-n), so 社保 heard as 涉保 still means the social-security query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEGATIONS = "不别没"
NOISE = re.compile(r"[\s，。！？、,.!?]|\[unk\]")
FUZZY = ((r"^zh", "z"), (r"^ch", "c"), (r"^sh", "s"), (r"^l", "n"), (r"^h(?=u)", "f"), (r"ng$", "n"))


# Around an action word: what is said to ask, not what is named (我有…要卖, 卖点…吧).
LEADS = (
    "我家里有",
    "我家有",
    "家里有",
    "我这里有",
    "我这有",
    "我想把",
    "我要把",
    "帮我把",
    "想把",
    "要把",
    "把",
    "我有",
    "有",
)
TAILS = ("想要", "拿去", "拿来", "要", "想", "去", "来", "得")
FILLERS = ("一些", "一点", "点儿", "掉", "点", "些", "了")
PARTICLES = "啊呀吧呢了的嘛哦哈"
GENERIC = {"东西", "农产品", "产品", "货", "我", "帮我", "我要", "我想"}


@dataclass(frozen=True)
class Intent:
    name: str
    phrase: str
    value: int | None = None
    named: str | None = None  # what she named with an action word: 卖土豆 → 土豆…
    field: str | None = None  # …and the service's question it answers (product)


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
    def __init__(
        self,
        intents: dict[str, list[str]],
        actions: dict[str, list[str]] | None = None,
        fills: dict[str, str] | None = None,
    ) -> None:
        pairs = [(intent, phrase) for intent, phrases in intents.items() for phrase in phrases]
        self._phrases = sorted(pairs, key=lambda pair: len(pair[1]), reverse=True)
        self._sounds = [(intent, phrase, _syllables(phrase)) for intent, phrase in self._phrases]
        words = [(intent, word) for intent, words in (actions or {}).items() if intent in intents for word in words]
        self._actions = sorted(words, key=lambda pair: len(pair[1]), reverse=True)
        self._fills = fills or {}

    def match(self, heard: str) -> Intent | None:
        text = NOISE.sub("", heard)
        if not text:
            return None
        for intent, word in self._actions:
            at = text.find(word)
            while at >= 0:
                if not _negated(text, at, word):
                    field = self._fills.get(intent)
                    named = _named(text, at, word) if field else None
                    return Intent(intent, word, named=named, field=field if named else None)
                at = text.find(word, at + 1)
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


def _named(text: str, at: int, word: str) -> str | None:
    """The thing named with an action word: after it (卖点土豆吧), else before it (我有红薯要卖)."""
    after = _strip(text[at + len(word) :], leads=FILLERS, tails=())
    named = after or _strip(text[:at], leads=LEADS, tails=TAILS)
    return named if named and named not in GENERIC else None


def _strip(text: str, leads: tuple[str, ...], tails: tuple[str, ...]) -> str:
    text = text.rstrip(PARTICLES)
    for lead in leads:
        if text.startswith(lead):
            text = text[len(lead) :]
            break
    for tail in tails:
        if text.endswith(tail):
            text = text[: -len(tail)]
            break
    return text.rstrip(PARTICLES)


def _negated(text: str, at: int, phrase: str) -> bool:
    return phrase[0] not in NEGATIONS and any(c in NEGATIONS for c in text[max(0, at - 2) : at])


def spoken_number(heard: str) -> int | None:
    """三十五 → 35, 两百 → 200, 12 → 12; None when there is no number in it."""
    import cn2an

    text = NOISE.sub("", heard).replace("两", "二")
    converted = cn2an.transform(text, "cn2an")
    digits = re.search(r"\d+", converted)
    return int(digits.group()) if digits else None
