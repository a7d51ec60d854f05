"""The spoken-command template: intents and the ways villagers say them, per screen context."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.voice.matcher import IntentMatcher

if TYPE_CHECKING:
    from kiosk.services.catalogue import Catalogue

CONTEXTS = ("home", "anywhere", "confirm", "number")


class PhraseError(KioskError):
    pass


def load_phrases(catalogue: Catalogue, text: str | None = None) -> dict[str, dict[str, list[str]]]:
    """{context: {intent: [phrases]}}, with the everywhere-intents in every context."""
    raw = _read(text)
    everywhere = _intents(raw.get("everywhere", {}), "everywhere")
    contexts = {}
    for context in CONTEXTS:
        intents = dict(everywhere)
        intents.update(_intents(raw.get(context, {}), context))
        contexts[context] = intents
    for service in catalogue.services:
        more = contexts["home"].get(service.id, [])
        contexts["home"][service.id] = list(dict.fromkeys([service.label, *service.voice, *more]))
    return contexts


def load_actions(text: str | None = None) -> dict[str, dict[str, list[str]]]:
    """{context: {intent: [action words]}}: words that decide the intent whatever else is said."""
    return {context: _intents(table, f"actions.{context}") for context, table in _read(text).get("actions", {}).items()}


def load_fills(text: str | None = None) -> dict[str, str]:
    """{intent: field}: the service question that what she names with an action word answers."""
    fills = _read(text).get("fills", {})
    if not all(isinstance(v, str) and v for v in fills.values()):
        raise PhraseError('phrases.toml [fills] 应是 命令 = "问题的 id"')
    return dict(fills)


def _read(text: str | None) -> dict:
    source = text if text is not None else files("kiosk.voice").joinpath("phrases.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise PhraseError(f"phrases.toml 写错了：{error}") from None


def _intents(table: dict, context: str) -> dict[str, list[str]]:
    intents = {}
    for intent, phrases in table.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise PhraseError(f"phrases.toml [{context}] {intent} 应是一组非空的说法")
        intents[intent] = [p.strip() for p in phrases]
    return intents


def matchers(phrases: dict[str, dict[str, list[str]]], text: str | None = None) -> dict[str, IntentMatcher]:
    """One matcher per screen context, with the action words and fills of phrases.toml."""
    actions, fills = load_actions(text), load_fills(text)
    return {context: IntentMatcher(intents, actions.get(context), fills) for context, intents in phrases.items()}
