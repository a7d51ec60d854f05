"""好差评: the villager's rating of a service, queued to the province with the id of the request it rates.

A rating is an outbox item of its own (service ``rating``, in the contract's RatingPayload), so it
waits for the network like any request and never holds one up. It carries no personal data. The
province keeps one rating per request: rating again replaces the earlier one. The kiosk counts them
too, for the volunteers' screen.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.store.outbox import Queued

RATING_SERVICE = "rating"
MAX_REASONS = 4


class Rating(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASIC = "basic"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class Reason(StrEnum):
    """Why 不满意: at most four, so they fit one screen."""

    WAITED = "waited_too_long"
    HARD_TO_USE = "hard_to_use"
    NOT_DONE = "not_done"
    HARD_TO_FOLLOW = "hard_to_hear_or_read"


class Rate:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def __call__(self, request_id: str, rating: Rating, reasons: tuple[Reason, ...] = ()) -> Queued:
        """Queue the rating durably (worker thread) and wake the relay."""
        if reasons and rating != Rating.UNSATISFIED:
            raise InvalidInput("只有「不满意」才选原因")
        if len(set(reasons)) != len(reasons) or len(reasons) > MAX_REASONS:
            raise InvalidInput(f"原因最多选 {MAX_REASONS} 个，每个一次")
        payload = {"request_id": request_id, "rating": Rating(rating), "reasons": [Reason(r) for r in reasons]}
        store = self._backend.store()
        queued = store.outbox.enqueue(RATING_SERVICE, payload)
        store.ratings.record(request_id, Rating(rating))
        self._backend.wake_relay(queued=1)
        return queued
