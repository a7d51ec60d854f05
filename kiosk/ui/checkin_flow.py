"""Wires check-in: devices run on worker threads, their news crosses to the GUI thread by signal.

Who the villager is comes from the check-in use-case (``app/checkin.py``); this only moves between
the screens, starts and stops the reader and the camera, and shows what they report. The reader
reads on every screen where a card can check her in (a service's first screen, the check-in
screens), so a card placed at any moment is used. The face screen's frame is lit from the face
check's own flash plan as it paints.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from kiosk.app.devices import DeviceState
from kiosk.app.face_progress import FaceState, Progress
from kiosk.ui.camera_view import to_qimage
from kiosk.ui.screens.checkin import (
    ATTEST,
    CARD,
    CHOOSE,
    FACE,
    WELCOME,
    AttestScreen,
    CardScreen,
    CheckinChoiceScreen,
    FaceScreen,
    WelcomeScreen,
)
from kiosk.ui.work import BackgroundWork
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from kiosk.app.certify import Attest
    from kiosk.app.checkin import CheckIn, FaceSession
    from kiosk.app.devices import Devices
    from kiosk.app.navigation import Navigator
    from kiosk.app.session import Person, Session
    from kiosk.errors import KioskError
    from kiosk.identity.card_reader import ReaderLoop
    from kiosk.identity.face.analyzer import Face
    from kiosk.identity.face.camera import CaptureLoop
    from kiosk.identity.sam import CardData
    from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)
SIMULATED_CARD_DELAY_MS = 2500
CAMERA_BROKEN = phrase("screen.face.camera_broken", "摄像头现在用不了。请用身份证，或者叫志愿者。")
CAMERA_BROKEN_PROVING = phrase("screen.face.camera_broken_proving", "摄像头现在用不了。请叫志愿者来帮忙。")


class CheckinFlow(QObject):
    card_read = Signal(object)
    reader_status = Signal(str)
    device_state = Signal(str, str)  # (device, DeviceState): for the county's fleet view
    frame = Signal(QImage)
    progress = Signal(object)
    service_wanted = Signal(str)  # 继续 after checking in on a service's first screen: that service begins
    attested = Signal(object)  # the volunteer (an Operator) who attested a villager's presence

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        checkin: CheckIn,
        devices: Devices | None,
        card_intros: dict[str, str] | None = None,
        attest: Attest | None = None,
    ) -> None:
        """``card_intros``: the first screens (by screen id) of services a card checks in for, and their
        service ids. ``attest``: the volunteer's attestation use-case (none: it is not offered)."""
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._session = session
        self._checkin = checkin
        self._devices = devices
        self._card_intros = dict(card_intros or {})
        self._attest = attest
        self._work = BackgroundWork(self, "checkin")
        self._reader_loop: ReaderLoop | None = None
        self._capture: CaptureLoop | None = None
        self._face_session: FaceSession | None = None
        self._screen_before = None
        self._then: Callable[[], None] | None = None  # set while proving a checked-in person's presence
        self._gave_up: Progress | None = None  # the face check that did not pass, for an attestation

        self.choice = CheckinChoiceScreen(window.theme)
        self.card = CardScreen(window.theme)
        self.face = FaceScreen(window.theme)
        self.attest_screen = AttestScreen(window.theme)
        self.welcome = WelcomeScreen(window.theme)
        for screen in (self.choice, self.card, self.face, self.attest_screen, self.welcome):
            window.add_screen(screen)

        self.choice.card_chosen.connect(lambda: navigator.open(CARD))
        self.choice.face_chosen.connect(lambda: navigator.open(FACE))
        self.face.use_card.connect(lambda: navigator.open(CARD))
        self.face.call_volunteer.connect(window.call_volunteer)
        self.face.attest.connect(self._attest_wanted)
        self.face.retry.connect(self._retry)
        self.attest_screen.entered.connect(self._attest_pin)
        self.welcome.proceed.connect(self._proceed)
        self.card_read.connect(self._on_card)
        self.reader_status.connect(self.card.show_reader_status)
        self.reader_status.connect(self._reader_state)
        self.frame.connect(self.face.preview.show_frame)
        self.progress.connect(self._on_progress)
        self._simulated_card = QTimer(self)
        self._simulated_card.setSingleShot(True)
        if devices is not None and devices.simulated_reader is not None:
            self._simulated_card.timeout.connect(devices.simulated_reader.place_card)
        session.subscribe(self.welcome.show_person)
        navigator.subscribe(self._on_screen)

    def _reader_state(self, status: str) -> None:
        from kiosk.identity.card_reader import ReaderStatus  # the serial driver loads with the first card screen

        state = DeviceState.OK if status == ReaderStatus.READY else DeviceState.LOST
        self.device_state.emit("card_reader", state)

    def _reads_card(self, screen_id: str) -> bool:
        """A card placed now checks her in: on the check-in screens, and on the first screen of a
        service that needs one while nobody is checked in; not while a checked-in card holder proves
        her presence at the camera."""
        if self._then is not None:
            return False
        return screen_id in (CHOOSE, CARD, FACE) or (screen_id in self._card_intros and self._session.person is None)

    def _on_screen(self, screen_id: str) -> None:
        if screen_id == CHOOSE and self._screen_before is None:
            self._screen_before = self._navigator.previous
        if screen_id not in (FACE, ATTEST):
            self._then = None  # left the face check without finishing it
            self._gave_up = None
        if self._reads_card(screen_id):
            self._start_reader()
        else:
            self._stop_reader()
        if screen_id == CARD and self._devices is not None and self._devices.simulated_reader is not None:
            self._simulated_card.start(SIMULATED_CARD_DELAY_MS)  # demo mode: the card arrives as if placed
        else:
            self._simulated_card.stop()
        if screen_id == FACE:
            self._start_camera()
        else:
            self._stop_camera()
        if self._navigator.at_home:
            self._screen_before = None
            self._session.clear()

    def _start_reader(self) -> None:
        from kiosk.identity.card_reader import ReaderLoop

        if self._reader_loop is None and self._devices is not None:
            if self._devices.simulated_reader is not None:
                self._devices.simulated_reader.remove_card()  # the last demo's card is not lying there
            self._reader_loop = ReaderLoop(self._devices.open_reader, self.card_read.emit, self.reader_status.emit)
            self._reader_loop.start()

    def _stop_reader(self) -> None:
        if self._reader_loop is not None:
            self._reader_loop.stop(wait=False)
            self._reader_loop = None

    def _start_camera(self) -> None:
        self.face.reset()
        if self._capture is not None or self._devices is None:
            return
        from kiosk.identity.face.camera import CaptureLoop, mirrored

        proving = self._session.person if self._then is not None else None
        session = self._checkin.by_face(self.progress.emit, proving)
        self._face_session = session
        broken = []

        def on_frame(frame: np.ndarray, face: Face | None, read_at: float) -> None:
            if not broken:
                try:
                    session.on_frame(frame, face, read_at)
                except Exception:  # not a frozen coaching line: the villager is offered the card instead
                    log.exception("face check-in failed on a frame")
                    broken.append(True)
                    self._camera_failed("face check-in failed")
            self.frame.emit(to_qimage(mirrored(frame)))

        self._capture = CaptureLoop(self._devices.camera, on_frame, session, self._camera_failed, scene=session)
        self._capture.start()
        self.face.watch(session.screen_colour)

    def _camera_failed(self, message: str) -> None:
        """On the camera's thread: the technician's detail to the log, the card and the volunteer to the villager."""
        log.warning("face check-in without a camera: %s", message)
        self.device_state.emit("camera", DeviceState.FAILED)
        self.progress.emit(Progress(FaceState.GAVE_UP, CAMERA_BROKEN))

    def _stop_camera(self) -> None:
        if self._capture is not None:
            self._capture.stop(wait=False)
            self._capture = None
            self._face_session = None
            self.face.watch(None)
            self.face.preview.clear()

    def _on_card(self, card: CardData) -> None:
        current = self._navigator.current
        if not self._reads_card(current):
            return
        if current in self._card_intros:
            self._screen_before = current
        self._welcome(self._checkin.by_card(card))

    def _on_progress(self, progress: Progress) -> None:
        if self._navigator.current != FACE:
            return
        person = self._checkin.matched(progress)
        if person is not None:
            if self._then is not None:
                then, self._then = self._then, None
                self._session.check_in(person)
                then()
                return
            self._welcome(person)
            return
        offers: tuple[str, ...] = ()
        words = progress.words
        if progress.state == FaceState.GAVE_UP:
            self._gave_up = progress
            again = () if words == CAMERA_BROKEN else ("retry",)  # a camera that works may see her next time
            if self._then is None:
                offers = (*again, "card", "volunteer")
            else:  # the card is in hand already: only the volunteer can help
                words = CAMERA_BROKEN_PROVING if words == CAMERA_BROKEN else words
                can_attest = self._attest is not None and progress.photo is not None
                offers = (*again, "volunteer", "attest") if can_attest else (*again, "volunteer")
        self.face.coach(words, progress.action, offers, checking=progress.state == FaceState.CHECKING)
        self._window.say(words)

    def _retry(self) -> None:
        """再试一次 after the face check gave up: a fresh check, from the start, once the last one has let
        go of the camera (a real camera opens for one at a time; the waiting is on a worker)."""
        self._gave_up = None
        last = self._capture
        self._stop_camera()
        self.face.reset()  # 请看这里: at once, while the camera comes round
        if last is None:
            self._start_camera()
            return
        self._work.run(lambda: last.stop(wait=True), self._camera_let_go)

    def _camera_let_go(self, _=None) -> None:
        if self._navigator.current == FACE:  # she may have chosen the card meanwhile
            self._start_camera()

    def prove_presence(self, then: Callable[[], None]) -> None:
        """The person checked in by card; a certification needs their live face too, then ``then``."""
        self._then = then
        self._navigator.open(FACE)

    def _attest_wanted(self) -> None:
        if self._gave_up is None or self._then is None:
            return
        self.attest_screen.for_person(self._session.person)
        self._navigator.open(ATTEST)

    def _attest_pin(self, pin: str) -> None:
        gave_up, person = self._gave_up, self._session.person
        if gave_up is None or person is None or self._attest is None:
            return
        attempts = list(gave_up.attempts)
        self._work.run(lambda: self._attest(pin, person, attempts, gave_up.photo), self._attested, self._refused)

    def _refused(self, error: KioskError) -> None:
        self.attest_screen.refuse(error.message)
        self._window.speak_current()

    def _attested(self, attested: tuple[Person, object]) -> None:
        person, operator = attested
        if self._then is None or self._navigator.current != ATTEST:  # she left meanwhile
            return
        self.attested.emit(operator)
        then, self._then = self._then, None
        self._session.check_in(person)
        then()

    def _welcome(self, person: Person) -> None:
        self._session.check_in(person)
        self._navigator.open(WELCOME)

    def shutdown(self) -> None:
        self._stop_reader()
        self._stop_camera()
        self._work.shutdown()

    def _proceed(self) -> None:
        before, self._screen_before = self._screen_before, None
        self._navigator.return_to(before)
        if before in self._card_intros:  # checked in to do this service: on to its first question
            self.service_wanted.emit(self._card_intros[before])
