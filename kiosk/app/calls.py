"""叫志愿者: a villager's call, kept until a volunteer says 知道了 (``store/calls.py``), and what the
volunteers' screen shows of it: when, where and at which step. Never who: that is for the volunteer
to see by walking over."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.store.calls import Call


class VolunteerCalls:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def call(self, place: str, step: str) -> Call:
        """Kept durably (worker thread): a kiosk restarted before anyone came still shows it.

        One call per intention: asked again from the same screen and step while that call still waits
        (a double tap, or asking again before anyone came), it is the call already made.
        """
        calls = self._backend.store().calls
        waiting = next((c for c in calls.waiting() if (c.place, c.step) == (place, step)), None)
        return waiting or calls.add(place, step)

    def waiting(self) -> list[Call]:
        return self._backend.store().calls.waiting()

    def dismiss(self, call_id: int) -> list[Call]:
        """知道了: this one is seen to; the calls still waiting."""
        calls = self._backend.store().calls
        calls.dismiss(call_id)
        return calls.waiting()


def describe(call: Call, now: float | None = None) -> str:
    """09:12 补贴申领，第 2 步 / 共 4 步 (a call from another day says which: 11月3日 09:12 …)."""
    called = time.localtime(call.called_at)
    today = time.localtime(now if now is not None else time.time())
    at = time.strftime("%H:%M", called)
    if called[:3] != today[:3]:
        at = f"{called.tm_mon}月{called.tm_mday}日 {at}"
    return f"{at} {call.place}，{call.step}" if call.step else f"{at} {call.place}"
