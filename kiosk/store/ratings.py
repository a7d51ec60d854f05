"""The 好差评 given at this kiosk, counted for the volunteers' screen (the ratings themselves go to the
province through the outbox). One per request: rating a request again replaces its rating."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.store.database import Database


class Ratings:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = database
        self._clock = clock

    def record(self, request_id: str, rating: str) -> None:
        self._db.execute_alone(
            "INSERT INTO ratings (request_id, rating, rated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (request_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at",
            (request_id, rating, self._clock()),
        )

    def counts(self) -> dict[str, int]:
        return dict(self._db.query("SELECT rating, COUNT(*) FROM ratings GROUP BY rating"))
