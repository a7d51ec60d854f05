"""Helper mode on screen: a volunteer or the technician signs in by PIN; a banner says who operates for whom.

Every check, queue action and self-check is a call to the staff use-cases (``app/staff.py``,
``app/fix.py``) on a worker; this only shows their results. The audit log records each sign-in and
every request made in helper mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl

from kiosk.app.calls import describe
from kiosk.app.staff import SYNCING, Role, sync_words
from kiosk.paths import assets_dir
from kiosk.ui.screens.staff import (
    CHECKING,
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
from kiosk.ui.work import BackgroundWork
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.calls import VolunteerCalls
    from kiosk.app.doctor import Check
    from kiosk.app.fix import FixAndResend, SetAside
    from kiosk.app.navigation import Navigator
    from kiosk.app.session import Session
    from kiosk.app.staff import Operator, StaffDesk, SyncProgress
    from kiosk.app.submit import Draft
    from kiosk.errors import KioskError
    from kiosk.services.form import FormSession
    from kiosk.store.calls import Call
    from kiosk.store.outbox import Item
    from kiosk.ui.window import KioskWindow

STAFF_SCREENS = (PIN, MENU, QUEUE, DOCTOR)
WATCH_EVERY_MS = 2000  # the queue screen and a 立即同步 are read afresh this often, on their own worker
SYNC_PATIENCE = 6  # readings of a 立即同步 before saying how it stands, settled or not (about 12 s)
NO_STAFF = phrase("screen.staff.no_staff", "这台终端还没有设置工作人员 PIN。")


class StaffFlow(QObject):
    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        desk: StaffDesk | None,
        fix: FixAndResend | None,
        calls: VolunteerCalls,
        labels: dict[str, str],
        start_listing: Callable[[], None],
        open_form: Callable[[Draft, FormSession], None],
    ) -> None:
        super().__init__(window)
        self._labels = labels
        self._window = window
        self._navigator = navigator
        self._session = session
        self._desk = desk
        self._fix = fix
        self._calls = calls
        self._open_form = open_form
        self._work = BackgroundWork(self, "staff")
        self._watch = BackgroundWork(self, "queue")  # the readings every few seconds: never behind a slow job
        self._watching = False  # a reading is under way: the next tick does not pile another on
        self._sync_began: float | None = None
        self._sync_readings = 0
        self._watch_timer = QTimer(self)
        self._watch_timer.timeout.connect(self._read_again)
        self.operator: Operator | None = None
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
        self.menu.seen.connect(lambda call_id: self._work.run(lambda: self._calls.dismiss(call_id), self._show_calls))
        self.queue.retry.connect(lambda item_id: self._act_on(self._desk.retry, item_id))
        self.queue.discard.connect(lambda item_id: self._act_on(self._desk.discard, item_id))
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
        if self._desk is None:
            self.pin.refuse(NO_STAFF)
            return
        self._work.run(lambda: self._desk.sign_in(pin), self._signed_in, self._refused)

    def _refused(self, error: KioskError) -> None:
        self.pin.refuse(error.message)
        self._window.speak_current()

    def _signed_in(self, operator: Operator) -> None:
        self.adopt(operator)
        self._navigator.open(MENU)

    def adopt(self, operator: Operator) -> None:
        """``operator`` signed in elsewhere (a volunteer's attestation at the camera): helper mode is on."""
        self.operator = operator
        self.menu.show_operator(operator.role == Role.TECHNICIAN)
        self.menu.show_message("")
        self._work.run(self._calls.waiting, self._show_calls)
        self.show_banner()

    def sign_out(self) -> None:
        self.operator = None
        if self._desk is not None:
            self._work.run(self._desk.sign_out)
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
        self._work.run(lambda: self._desk.queue_overview(QUEUE_ROWS), self._queue_shown, self._queue_failed)
        self._navigator.open(QUEUE)

    def _queue_failed(self, error: KioskError) -> None:
        self.queue.message.setText(error.message)

    def _queue_shown(self, overview: tuple[dict, list[Item]]) -> None:
        counts, items = overview
        rows = [(i.id, f"{i.receipt} {self._labels.get(i.service, i.service)}", i.last_error or "") for i in items]
        self.queue.show_queue(counts, rows)

    def _act_on(self, action: Callable[[str], None], item_id: str) -> None:
        self._work.run(lambda: action(item_id), lambda _done: self._show_queue(), self._queue_failed)

    def _open_for_fix(self, item_id: str) -> None:
        self._work.run(lambda: self._fix.load(item_id), self._loaded_for_fix, self._queue_failed)

    def _loaded_for_fix(self, set_aside: SetAside) -> None:
        fixing = self._fix.begin(set_aside)
        if fixing is None:
            self.queue.message.setText("这项服务已经不在目录里了，只能删除。")
            return
        if fixing.person is not None:  # the villager it was made for, as if checked in with the volunteer
            self._session.check_in(fixing.person)
        self._open_form(fixing.draft, fixing.form)

    def _sync_now(self) -> None:
        """正在同步…, then how it went: how many were sent, or that the province cannot be reached now."""
        self.menu.show_message(SYNCING)
        self._work.run(self._desk.sync_now, self._sync_begun, lambda error: self.menu.show_message(error.message))

    def _sync_begun(self, began: float) -> None:
        self._sync_began, self._sync_readings = began, 0
        self._watch_timer.start(WATCH_EVERY_MS)

    def _read_again(self) -> None:
        """A tick: the queue screen's counts while it shows, and how a 立即同步 is going while one is."""
        showing_queue = self._navigator.current == QUEUE
        if self._sync_began is None and not showing_queue:
            self._watch_timer.stop()
            return
        if self._watching:
            return
        self._watching = True
        began = self._sync_began

        def read():
            overview = self._desk.queue_overview(QUEUE_ROWS) if showing_queue else None
            return overview, self._desk.sync_progress(began) if began is not None else None

        self._watch.run(read, self._read, self._read_failed)

    def _read(self, reading: tuple[tuple[dict, list[Item]] | None, SyncProgress | None]) -> None:
        self._watching = False
        overview, progress = reading
        if overview is not None and self._navigator.current == QUEUE:
            self._queue_shown(overview)
        if progress is not None and self._sync_began is not None:
            self._sync_readings += 1
            words = sync_words(progress, self._sync_readings >= SYNC_PATIENCE)
            if words is not None:
                self._sync_began = None
                self.menu.show_message(words)

    def _read_failed(self, error: KioskError) -> None:
        self._watching = False
        self._sync_began = None
        self.menu.show_message(error.message)

    def _run_doctor(self) -> None:
        self.doctor.show_results([])
        self.doctor.message.setText(CHECKING)
        self._navigator.open(DOCTOR)
        self._work.run(self._desk.self_check, self._checked, lambda error: self.doctor.message.setText(error.message))

    def _checked(self, results: list[Check]) -> None:
        self.doctor.show_results(results)

    def _called(self) -> None:
        """A villager pressed 叫志愿者: a chime across the room, and a note on the volunteer screen, kept
        until a volunteer says 知道了: the screen she was on and her step (the header's words: never who)."""
        if self._chime is None:
            from PySide6.QtMultimedia import QSoundEffect

            self._chime = QSoundEffect(self)
            self._chime.setSource(QUrl.fromLocalFile(str(assets_dir() / "sounds" / "chime.wav")))
        self._chime.play()
        screen = self._window.current_screen()
        place = "首页" if self._navigator.at_home else screen.title
        step = screen.step_label
        self._work.run(lambda: self._calls.call(place, step), lambda _call: self._refresh_calls())

    def _refresh_calls(self) -> None:
        if self.operator is not None:
            self._work.run(self._calls.waiting, self._show_calls)

    def _show_calls(self, calls: list[Call]) -> None:
        self.menu.show_calls([(call.id, describe(call)) for call in calls])

    def _on_screen(self, screen_id: str) -> None:
        if self._navigator.at_home and self.operator is not None:
            self.sign_out()
        if screen_id == QUEUE and not self._watch_timer.isActive():
            self._watch_timer.start(WATCH_EVERY_MS)

    def shutdown(self) -> None:
        self._watch_timer.stop()
        self._work.shutdown()
        self._watch.shutdown()
