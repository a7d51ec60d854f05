"""Helper mode: who may open the staff screens (volunteers and the technician, by PIN), and what they do there.

Failed attempts are counted in the database, so restarting the kiosk does not reset them. After
MAX_FAILURES wrong PINs in a row the PIN pad is locked, each lock-out twice as long as the one
before (from LOCK_S up to MAX_LOCK_S) until a right PIN is entered. What a role may do is checked
here, in the call itself, not only by which buttons the screen shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from kiosk.app.backend import Backend
    from kiosk.app.doctor import Check
    from kiosk.config import Config
    from kiosk.store.outbox import Item
    from kiosk.voice.lines import Line

MAX_FAILURES = 5
LOCK_S = 300
MAX_LOCK_S = 86_400
FAILURES_KEY = "pin_failures"
TECHNICIAN_ONLY = phrase("screen.staff.technician_only", "只有技术员能做自检，请用技术员的 PIN 登录。")
LOCKED_TRY_LATER = phrase("screen.staff.locked_try_later", "PIN 错的次数太多，已锁定。请")
TRY_LATER = phrase("screen.staff.try_later", "后再试。")
LOCKED_FOR = phrase("screen.staff.locked_for", "PIN 错的次数太多，已锁定")
WRONG_PIN = phrase("screen.staff.wrong_pin", "PIN 不对，还可以再试")
SYNCING = phrase("screen.staff.syncing", "正在同步…")
NOTHING_TO_SEND = phrase("screen.staff.nothing_to_send", "没有要发的，都发完了。")
UNREACHABLE = phrase("screen.staff.unreachable", "连不上省里，稍后会自动再试。")


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    TECHNICIAN = "technician"


class SignInRefused(KioskError):
    pass


@dataclass(frozen=True)
class SyncProgress:
    """How a 立即同步 is going: sent since it began, still waiting, and of those how many were tried
    since and put back for later (the province could not be reached, or asked to wait)."""

    sent: int
    waiting: int
    put_back: int

    @property
    def settled(self) -> bool:
        """Nothing more to wait for: all sent, or everything left was tried and put back."""
        return self.waiting == 0 or self.put_back >= self.waiting


def sync_words(progress: SyncProgress, patience_over: bool) -> str | None:
    """What the volunteer reads once a 立即同步 is settled (or waited on long enough); None: still going."""
    if not (progress.settled or patience_over):
        return None
    if progress.waiting == 0:
        return f"同步好了：发出 {progress.sent} 件，都发完了。" if progress.sent else NOTHING_TO_SEND
    if progress.sent:
        return f"发出 {progress.sent} 件，还有 {progress.waiting} 件在发，稍后看「排队情况」。"
    return UNREACHABLE


@dataclass(frozen=True)
class Operator:
    name: str
    role: Role

    @property
    def label(self) -> str:
        return "技术员" if self.role == Role.TECHNICIAN else f"志愿者 {self.name}"


def lock_s(lockouts: int) -> float:
    """How long the ``lockouts``-th lock-out in a row lasts (the first is 0)."""
    return min(MAX_LOCK_S, LOCK_S * 2 ** min(lockouts, 16))


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} 分钟" if minutes < 120 else f"{round(minutes / 60)} 小时"


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
        state = {"count": 0, "locked_until": 0, "lockouts": 0} | self._settings.get(FAILURES_KEY, {})
        now = self._clock()
        if state["locked_until"] > now:
            raise SignInRefused(f"{LOCKED_TRY_LATER} {_duration(state['locked_until'] - now)}{TRY_LATER}")
        operator = self._match(pin)
        if operator is not None:
            self._settings.put(FAILURES_KEY, {"count": 0, "locked_until": 0, "lockouts": 0})
            return operator
        count = state["count"] + 1
        if count >= MAX_FAILURES:
            locked = lock_s(state["lockouts"])
            self._settings.put(FAILURES_KEY, {"count": 0, "locked_until": now + locked,
                                              "lockouts": state["lockouts"] + 1})  # fmt: skip
            raise SignInRefused(f"{LOCKED_FOR} {_duration(locked)}。")
        self._settings.put(FAILURES_KEY, state | {"count": count, "locked_until": 0})
        raise SignInRefused(f"{WRONG_PIN} {MAX_FAILURES - count} 次。")

    def _match(self, pin: str) -> Operator | None:
        from kiosk.store.crypto import verify_pin  # the UI imports this module before its first paint

        if self._technician and verify_pin(pin, self._technician):
            return Operator("技术员", Role.TECHNICIAN)
        for name, hashed in self._volunteers():
            if verify_pin(pin, hashed):
                return Operator(name, Role.VOLUNTEER)
        return None


class StaffDesk:
    """What the staff screens do, each call on a worker thread: sign-in, the queue, sync now, the self-check."""

    def __init__(
        self, backend: Backend, config: Config, data_dir: Path, screen_lines: Callable[[], tuple[Line, ...]] = tuple
    ) -> None:
        """``screen_lines`` gives the screens' own lines (for the self-check's voice-pack coverage)."""
        self._backend = backend
        self._config = config
        self._data_dir = data_dir
        self._screen_lines = screen_lines

    def sign_in(self, pin: str) -> Operator:
        store = self._backend.store()
        signing = StaffSignIn(store.settings, store.volunteers.hashes, self._config.technician_pin_hash)
        try:
            operator = signing.attempt(pin)
        except SignInRefused:
            store.record("staff_sign_in_refused")
            raise
        store.record("staff_signed_in", operator=operator.name, role=operator.role)
        self._backend.operator = operator
        return operator

    def sign_out(self) -> None:
        operator, self._backend.operator = self._backend.operator, None
        if operator is not None:
            self._backend.record("staff_signed_out", operator=operator.name)

    def queue_overview(self, limit: int) -> tuple[dict, list[Item]]:
        from kiosk.app.rate import Rating
        from kiosk.store.states import State

        store = self._backend.store()
        rated = store.ratings.counts()
        counts = store.outbox.stats() | {
            "published": store.answers.count("farm_listing"),
            "ratings": {rating: rated.get(rating, 0) for rating in Rating} if rated else {},
        }
        return counts, store.outbox.items(State.REJECTED, limit=limit)

    def retry(self, item_id: str) -> None:
        self._backend.store().outbox.retry(item_id)
        self._backend.wake_relay(queued=1)

    def discard(self, item_id: str) -> None:
        self._backend.store().outbox.discard(item_id)

    def sync_now(self) -> float:
        """A volunteer's "sync now": nothing waits out its backoff (this commit also wakes a relay service).
        Returns when it began, for ``sync_progress``."""
        began = time.time()
        self._backend.store().outbox.make_all_due()
        self._backend.wake_relay()
        return began

    def sync_progress(self, began: float) -> SyncProgress:
        return SyncProgress(*self._backend.store().outbox.progress_since(began))

    def self_check(self) -> list[Check]:
        """The technician's self-check; anyone else is refused here, whatever the screen showed them."""
        from kiosk.app.doctor import CHECKS, Context, run_checks

        operator = self._backend.operator
        if operator is None or operator.role != Role.TECHNICIAN:
            raise KioskError(TECHNICIAN_ONLY)
        # Not the speech check: the UI's own speech engine is the only one this process may have.
        wanted = {check_id for check_id, _, _ in CHECKS if check_id != "speaker"}
        return run_checks(Context(self._config, self._data_dir, self._screen_lines()), wanted)


def photo_progress_words(counts: Mapping) -> str | None:
    """「照片 3/5，已传 60%」 from ``stats()``, or None with no photo waiting."""
    if counts.get("photo_current") is None:
        return None
    return f"照片 {counts['photo_current']}/{counts['photo_total']}，已传 {counts['photo_percent']}%"
