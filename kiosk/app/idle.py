"""When a villager walks away: warn by voice and screen, then end the session and wipe it.

The warning comes ``warn_before_s`` (at least 20 s, by DESIGN.md §8) before the reset; any tap
extends, as many times as needed.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

MIN_WARNING_S = 20


class IdleState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"  # said and shown: one tap carries on
    EXPIRED = "expired"  # the session ends and everything personal is wiped


class IdleClock:
    def __init__(self, timeout_s: float = 120, warn_before_s: float = 30, clock: Callable[[], float] = time.monotonic):
        if warn_before_s < MIN_WARNING_S or warn_before_s >= timeout_s:
            raise ValueError(f"the warning must come at least {MIN_WARNING_S} s before a longer time-out")
        self.timeout_s = timeout_s
        self.warn_before_s = warn_before_s
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        self._last = self._clock()

    def seconds_left(self) -> float:
        return max(0.0, self.timeout_s - (self._clock() - self._last))

    def state(self) -> IdleState:
        left = self.seconds_left()
        if left <= 0:
            return IdleState.EXPIRED
        return IdleState.WARNING if left <= self.warn_before_s else IdleState.ACTIVE
