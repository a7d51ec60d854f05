"""Helper mode: a volunteer or the technician signs in by PIN; a banner says who operates for whom.

All checking, queue work and self-checks run on a worker through the injected ``StaffBackend``;
the audit log records each sign-in and every request made in helper mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl

from kiosk.app.navigation import Navigator
from kiosk.app.session import Session
from kiosk.app.staff import TECHNICIAN, Operator
from kiosk.paths import assets_dir
from kiosk.ui.screens.staff import (
    DOCTOR,
    MENU,
    PIN,
    QUEUE,
    QUEUE_ROWS,
    DoctorScreen,
    MenuScreen,
    PinScreen,
    QueueScreen,
)
from kiosk.ui.window import KioskWindow
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from kiosk.app.doctor import Check
    from kiosk.errors import KioskError
    from kiosk.store.outbox import Item

STAFF_SCREENS = (PIN, MENU, QUEUE, DOCTOR)


class StaffBackend(Protocol):
    """What the staff screens need from the store and the relay; every call runs on a worker."""

    def sign_in(self, pin: str) -> Operator: ...

    def set_operator(self, operator: Operator | None) -> None: ...

    def queue_overview(self, limit: int) -> tuple[dict, list[Item]]: ...

    def retry(self, item_id: str) -> None: ...

    def discard(self, item_id: str) -> None: ...

    def load_for_fix(self, item_id: str) -> tuple[str, dict, dict[str, bytes]]: ...

    def sync_now(self) -> None: ...

    def doctor(self) -> list[Check]: ...


class StaffFlow(QObject):
    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        backend: StaffBackend | None,
        labels: dict[str, str],
        start_listing: Callable[[], None],
        start_fix: Callable[[str, dict, dict[str, bytes]], bool],
    ) -> None:
        super().__init__(window)
        self._labels = labels
        self._window = window
        self._navigator = navigator
        self._session = session
        self._backend = backend
        self._start_fix = start_fix
        self._fixing: str | None = None  # the set-aside request a corrected copy replaces
        self._work = BackgroundWork(self)
        self.operator: Operator | None = None
        self.calls: list[str] = []
        self.pin = PinScreen(window.theme)
        self.menu = MenuScreen(window.theme)
        self.queue = QueueScreen(window.theme)
        self.doctor = DoctorScreen(window.theme)
        for screen in (self.pin, self.menu, self.queue, self.doctor):
            window.add_screen(screen)
        self._chime = None  # Qt Multimedia loads slowly: not before the first paint
        window.staff_button.clicked.connect(self.open)
        window.help_requested.connect(self._called)
        self.pin.entered.connect(self._sign_in)
        self.menu.queue_wanted.connect(self._show_queue)
        self.menu.sync_wanted.connect(self._sync_now)
        self.menu.listing_wanted.connect(start_listing)
        self.menu.doctor_wanted.connect(self._run_doctor)
        self.menu.sign_out.connect(self.sign_out)
        self.queue.retry.connect(lambda item_id: self._act_on(self._backend.retry, item_id))
        self.queue.discard.connect(lambda item_id: self._act_on(self._backend.discard, item_id))
        self.queue.fix.connect(self._open_for_fix)
        navigator.subscribe(self._on_screen)
        session.subscribe(lambda _person: self.show_banner())

    def open(self) -> None:
        if self.operator is not None:
            self._navigator.open(MENU)
            return
        self.pin.reset()
        self._navigator.open(PIN)

    def _sign_in(self, pin: str) -> None:
        if self._backend is None:
            self.pin.refuse("这台终端还没有设置工作人员 PIN。")
            return
        self._work.run(lambda: self._backend.sign_in(pin), self._signed_in)

    def _signed_in(self, operator: Operator | None, error: KioskError | None) -> None:
        if error is not None:
            self.pin.refuse(error.message)
            self._window.speak_current()
            return
        self.operator = operator
        self._work.run(lambda: self._backend.set_operator(operator), lambda *_: None)
        self.menu.show_operator(operator.role == TECHNICIAN)
        self.menu.show_calls(self.calls)
        self.show_banner()
        self._navigator.open(MENU)

    def sign_out(self) -> None:
        self.operator = None
        self._fixing = None
        if self._backend is not None:
            self._work.run(lambda: self._backend.set_operator(None), lambda *_: None)
        self.show_banner()
        self._navigator.home()

    def show_banner(self) -> None:
        person = self._session.person
        if self.operator is None:
            self._window.show_operator("")
        elif person is None:
            self._window.show_operator(self.operator.label.replace(" ", ""))
        else:  # short enough to sit beside a service's title and its step
            self._window.show_operator(f"{self.operator.name}代{person.masked_name}")

    def _show_queue(self) -> None:
        self._work.run(lambda: self._backend.queue_overview(QUEUE_ROWS), self._queue_shown)
        self._navigator.open(QUEUE)

    def _queue_shown(self, overview, error: KioskError | None) -> None:
        if error is not None:
            self.queue.message.setText(error.message)
            return
        counts, items = overview
        rows = [(i.id, f"{i.receipt} {self._labels.get(i.service, i.service)}", i.last_error or "") for i in items]
        self.queue.show_queue(counts, rows)

    def _act_on(self, action, item_id: str) -> None:
        self._work.run(lambda: action(item_id), lambda _result, error: self._acted(error))

    def _acted(self, error: KioskError | None) -> None:
        if error is not None:
            self.queue.message.setText(error.message)
            return
        self._show_queue()

    def _open_for_fix(self, item_id: str) -> None:
        self._work.run(lambda: self._backend.load_for_fix(item_id),
                       lambda loaded, error: self._loaded_for_fix(item_id, loaded, error))  # fmt: skip

    def _loaded_for_fix(self, item_id: str, loaded, error: KioskError | None) -> None:
        if error is not None:
            self.queue.message.setText(error.message)
            return
        if self._start_fix(*loaded):
            self._fixing = item_id
        else:
            self.queue.message.setText("这项服务已经不在目录里了，只能删除。")

    def submitted(self) -> None:
        """A request was saved: if it is the corrected copy of a set-aside one, the old one goes."""
        replaced, self._fixing = self._fixing, None
        if replaced is not None:
            self._work.run(lambda: self._backend.discard(replaced), lambda *_: None)

    def _sync_now(self) -> None:
        self.menu.show_message("正在同步……")
        self._work.run(self._backend.sync_now, lambda _r, error: self.menu.show_message(
            error.message if error else "已经开始同步，稍后看「排队情况」。"))  # fmt: skip

    def _run_doctor(self) -> None:
        self.doctor.show_results([])
        self.doctor.message.setText("正在检查，请稍等。")
        self._navigator.open(DOCTOR)
        self._work.run(self._backend.doctor, lambda results, error: self.doctor.show_results(results or []))

    def _called(self) -> None:
        """A villager pressed 叫志愿者: a chime across the room, and a note on the volunteer screen."""
        if self._chime is None:
            from PySide6.QtMultimedia import QSoundEffect

            self._chime = QSoundEffect(self)
            self._chime.setSource(QUrl.fromLocalFile(str(assets_dir() / "sounds" / "chime.wav")))
        self._chime.play()
        self.calls.append(time.strftime("%H:%M"))
        self.menu.show_calls(self.calls)

    def _on_screen(self, screen_id: str) -> None:
        if self._navigator.at_home and self.operator is not None:
            self.sign_out()

    def shutdown(self) -> None:
        self._work.shutdown()
