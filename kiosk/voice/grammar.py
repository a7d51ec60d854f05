"""Build a Vosk grammar from phrases: segment each (jieba), keep only words the model knows.

Vosk's grammar mode only accepts words in the model's vocabulary, as space-separated words.
A phrase whose word is unknown is tried character by character; if that fails too, the phrase
is left out and reported, so a technician can see which commands the installed model cannot hear.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)
UNKNOWN = "[unk]"


@dataclass
class Grammar:
    phrases: list[str] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps([*self.phrases, UNKNOWN], ensure_ascii=False)


def segment(phrase: str) -> list[str]:
    import jieba

    from kiosk.paths import data_dir

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(data_dir() / "cache")  # its dictionary cache, kept in the data dir like all else
    (data_dir() / "cache").mkdir(exist_ok=True)
    return [word for word in jieba.lcut(phrase) if word.strip()]


def build_grammar(phrases: Iterable[str], knows: Callable[[str], bool]) -> Grammar:
    grammar = Grammar()
    for phrase in dict.fromkeys(phrases):
        words, missing = [], []
        for word in segment(phrase):
            if knows(word):
                words.append(word)
            elif all(knows(char) for char in word):
                words.extend(word)
            else:
                missing.append(word)
        if missing:
            grammar.left_out[phrase] = missing
            log.warning("voice model does not know %s: phrase %r left out", missing, phrase)
        elif words:
            grammar.phrases.append(" ".join(words))
    return grammar
