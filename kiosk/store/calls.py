"""Villagers' calls for a volunteer (叫志愿者), kept until a volunteer says 知道了, across restarts.

A call says when, on which screen and at which step: what the volunteer needs to walk over and help,
and nothing about who (no name, no number, no answer given).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.store.database import Database

KEPT = 50  # a station nobody minds for weeks keeps the newest calls, not every one


@dataclass(frozen=True)
class Call:
    id: int
    called_at: float
    place: str  # the screen's title: the service, or 登记身份, 回执 …
    step: str  # 第 2 步 / 共 4 步, or empty


class Calls:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._clock = clock

    def add(self, place: str, step: str) -> Call:
        at = self._clock()
        with self._db.transaction() as conn:
            call_id = conn.execute(
                "INSERT INTO volunteer_calls (called_at, place, step) VALUES (?, ?, ?)", (at, place, step)
            ).lastrowid
            conn.execute(
                "DELETE FROM volunteer_calls WHERE id NOT IN (SELECT id FROM volunteer_calls ORDER BY id DESC LIMIT ?)",
                (KEPT,),
            )
        return Call(call_id, at, place, step)

    def waiting(self) -> list[Call]:
        """Oldest first: the one waiting longest is seen to first."""
        rows = self._db.query("SELECT id, called_at, place, step FROM volunteer_calls ORDER BY id")
        return [Call(*row) for row in rows]

    def dismiss(self, call_id: int) -> None:
        self._db.execute_alone("DELETE FROM volunteer_calls WHERE id = ?", (call_id,))
