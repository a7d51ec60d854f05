"""Wires check-in: devices run on worker threads, their news crosses to the GUI thread by signal.

Who the villager is comes from the check-in use-case (``app/checkin.py``); this only moves between
the screens, starts and stops the reader and the camera, and shows what they report.
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
    CARD,
    CHOOSE,
    FACE,
    WELCOME,
    CardScreen,
    CheckinChoiceScreen,
    FaceScreen,
    WelcomeScreen,
)
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from kiosk.app.checkin import CheckIn
    from kiosk.app.devices import Devices
    from kiosk.app.navigation import Navigator
    from kiosk.app.session import Person, Session
    from kiosk.identity.card_reader import ReaderLoop
    from kiosk.identity.face.analyzer import Face
    from kiosk.identity.face.camera import CaptureLoop
    from kiosk.identity.sam import CardData
    from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)
SIMULATED_CARD_DELAY_MS = 2500
CAMERA_BROKEN = phrase("screen.face.camera_broken", "摄像头现在用不了。请用身份证，或者叫志愿者。")


class CheckinFlow(QObject):
    card_read = Signal(object)
    reader_status = Signal(str)
    device_state = Signal(str, str)  # (device, DeviceState): for the county's fleet view
    frame = Signal(QImage)
    progress = Signal(object)

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        checkin: CheckIn,
        devices: Devices | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._session = session
        self._checkin = checkin
        self._devices = devices
        self._reader_loop: ReaderLoop | None = None
        self._capture: CaptureLoop | None = None
        self._screen_before = None
        self._then: Callable[[], None] | None = None  # set while proving a checked-in person's presence

        self.choice = CheckinChoiceScreen(window.theme)
        self.card = CardScreen(window.theme)
        self.face = FaceScreen(window.theme)
        self.welcome = WelcomeScreen(window.theme)
        for screen in (self.choice, self.card, self.face, self.welcome):
            window.add_screen(screen)

        self.choice.card_chosen.connect(lambda: navigator.open(CARD))
        self.choice.face_chosen.connect(lambda: navigator.open(FACE))
        self.face.use_card.connect(lambda: navigator.open(CARD))
        self.face.call_volunteer.connect(window.call_volunteer)
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

    def _on_screen(self, screen_id: str) -> None:
        if screen_id == CHOOSE and self._screen_before is None:
            self._screen_before = self._navigator.previous
        if screen_id == CARD:
            self._start_reader()
        else:
            self._stop_reader()
        if screen_id == FACE:
            self._start_camera()
        else:
            self._stop_camera()
        if screen_id != FACE:
            self._then = None  # left the face check without finishing it
        if self._navigator.at_home:
            self._screen_before = None
            self._session.clear()

    def _start_reader(self) -> None:
        from kiosk.identity.card_reader import ReaderLoop

        if self._reader_loop is None and self._devices is not None:
            if self._devices.simulated_reader is not None:
                self._devices.simulated_reader.remove_card()
                self._simulated_card.start(SIMULATED_CARD_DELAY_MS)
            self._reader_loop = ReaderLoop(self._devices.open_reader, self.card_read.emit, self.reader_status.emit)
            self._reader_loop.start()

    def _stop_reader(self) -> None:
        self._simulated_card.stop()
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

        broken = []

        def on_frame(frame: np.ndarray, face: Face | None) -> None:
            if not broken:
                try:
                    session.on_frame(frame, face)
                except Exception:  # not a frozen coaching line: the villager is offered the card instead
                    log.exception("face check-in failed on a frame")
                    broken.append(True)
                    self._camera_failed("face check-in failed")
            self.frame.emit(to_qimage(mirrored(frame)))

        self._capture = CaptureLoop(self._devices.camera, on_frame, session, self._camera_failed)
        self._capture.start()

    def _camera_failed(self, message: str) -> None:
        """On the camera's thread: the technician's detail to the log, the card and the volunteer to the villager."""
        log.warning("face check-in without a camera: %s", message)
        self.device_state.emit("camera", DeviceState.FAILED)
        self.progress.emit(Progress(FaceState.GAVE_UP, CAMERA_BROKEN))

    def _stop_camera(self) -> None:
        if self._capture is not None:
            self._capture.stop(wait=False)
            self._capture = None
            self.face.preview.clear()

    def _on_card(self, card: CardData) -> None:
        if self._navigator.current == CARD:
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
        self.face.coach(progress.words, offer_fallback=progress.state == FaceState.GAVE_UP)
        self._window.say(progress.words)

    def prove_presence(self, then: Callable[[], None]) -> None:
        """The person checked in by card; a certification needs their live face too, then ``then``."""
        self._then = then
        self._navigator.open(FACE)

    def _welcome(self, person: Person) -> None:
        self._session.check_in(person)
        self._navigator.open(WELCOME)

    def shutdown(self) -> None:
        self._stop_reader()
        self._stop_camera()

    def _proceed(self) -> None:
        self._navigator.return_to(self._screen_before)
        self._screen_before = None
