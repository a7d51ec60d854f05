"""What is wrong with a typed answer, before it is kept: nothing yet, or more than the field holds.

Pure Python: the text step says it in plain words (kiosk/ui/text_entry.py); ``check_field`` stays the
rule for every answer, wherever it comes from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.services.catalogue import Field


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def text_problem(field: Field, text: str) -> TextProblem | None:
    cleaned = text.strip()
    if not cleaned:
        return TextProblem.EMPTY
    if field.max_length and len(cleaned) > field.max_length:
        return TextProblem.TOO_LONG
    return None
