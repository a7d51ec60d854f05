"""Who may open the staff screens: volunteers and the technician, by PIN, with a lock-out.

Failed attempts are counted in the database, so restarting the kiosk does not reset them.
After MAX_FAILURES wrong PINs in a row the PIN pad is locked for LOCK_S seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.errors import KioskError

MAX_FAILURES = 5
LOCK_S = 300
FAILURES_KEY = "pin_failures"
VOLUNTEER, TECHNICIAN = "volunteer", "technician"


class SignInRefused(KioskError):
    pass


@dataclass(frozen=True)
class Operator:
    name: str
    role: str

    @property
    def label(self) -> str:
        return "技术员" if self.role == TECHNICIAN else f"志愿者 {self.name}"


class StaffSignIn:
    def __init__(
        self,
        settings,
        volunteers: Callable[[], list[tuple[str, str]]],
        technician_pin_hash: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._volunteers = volunteers
        self._technician = technician_pin_hash
        self._clock = clock

    def attempt(self, pin: str) -> Operator:
        state = self._settings.get(FAILURES_KEY, {"count": 0, "locked_until": 0})
        now = self._clock()
        if state["locked_until"] > now:
            minutes = max(1, round((state["locked_until"] - now) / 60))
            raise SignInRefused(f"PIN 错的次数太多，已锁定。请 {minutes} 分钟后再试。")
        operator = self._match(pin)
        if operator is not None:
            self._settings.put(FAILURES_KEY, {"count": 0, "locked_until": 0})
            return operator
        count = state["count"] + 1
        if count >= MAX_FAILURES:
            self._settings.put(FAILURES_KEY, {"count": 0, "locked_until": now + LOCK_S})
            raise SignInRefused(f"PIN 错的次数太多，已锁定 {LOCK_S // 60} 分钟。")
        self._settings.put(FAILURES_KEY, {"count": count, "locked_until": 0})
        raise SignInRefused(f"PIN 不对，还可以再试 {MAX_FAILURES - count} 次。")

    def _match(self, pin: str) -> Operator | None:
        from kiosk.store.crypto import verify_pin  # the UI imports this module before its first paint

        if self._technician and verify_pin(pin, self._technician):
            return Operator("技术员", TECHNICIAN)
        for name, hashed in self._volunteers():
            if verify_pin(pin, hashed):
                return Operator(name, VOLUNTEER)
        return None
