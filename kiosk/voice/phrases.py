"""The spoken-command template: intents and the ways villagers say them, per screen context."""

from __future__ import annotations

import tomllib
from importlib.resources import files

from kiosk.errors import KioskError
from kiosk.services.catalogue import Catalogue

CONTEXTS = ("home", "anywhere", "confirm", "number")


class PhraseError(KioskError):
    pass


def load_phrases(catalogue: Catalogue, text: str | None = None) -> dict[str, dict[str, list[str]]]:
    """{context: {intent: [phrases]}}, with the everywhere-intents in every context."""
    source = text if text is not None else files("kiosk.voice").joinpath("phrases.toml").read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise PhraseError(f"phrases.toml 写错了：{error}") from None
    everywhere = _intents(raw.get("everywhere", {}), "everywhere")
    contexts = {}
    for context in CONTEXTS:
        intents = dict(everywhere)
        intents.update(_intents(raw.get(context, {}), context))
        contexts[context] = intents
    for service in catalogue.services:
        contexts["home"][service.id] = [service.label, *service.voice]
    return contexts


def _intents(table: dict, context: str) -> dict[str, list[str]]:
    intents = {}
    for intent, phrases in table.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise PhraseError(f"phrases.toml [{context}] {intent} 应是一组非空的说法")
        intents[intent] = [p.strip() for p in phrases]
    return intents
