"""From a service's first screen to its receipt: the questions, the read-back, the durable save.

The request is saved on a worker (never on the GUI thread) and the receipt appears only once
the save has returned; a full disk shows a plain message and no receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.app.navigation import Navigator
from kiosk.app.session import Session
from kiosk.errors import InvalidInput, KioskError
from kiosk.services.catalogue import Catalogue, Service
from kiosk.services.form import FormSession
from kiosk.ui.camera_view import to_qimage
from kiosk.ui.screens.form import FORM, RECEIPT, FormScreen, ReceiptScreen
from kiosk.ui.screens.service_intro import ServiceIntroScreen
from kiosk.ui.window import KioskWindow
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from kiosk.app.devices import Devices
    from kiosk.identity.face.camera import CaptureLoop
    from kiosk.store.outbox import Queued

# (service id, payload, photos, subject id number or None) -> the saved request
Submit = Callable[[str, dict, dict, str | None], "Queued"]
SAVING = "正在保存，请稍等。"


class ServiceFlow(QObject):
    frame = Signal(QImage)

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        catalogue: Catalogue,
        intros: dict[str, ServiceIntroScreen],
        submit: Submit | None,
        devices: Devices | None = None,
        online: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._session = session
        self._submit = submit
        self._online = online
        self._devices = devices
        self._capture: CaptureLoop | None = None
        self._last_frame = None
        self._work = BackgroundWork(self)
        self.form = FormScreen(window.theme)
        self.receipt = ReceiptScreen(window.theme)
        window.add_screen(self.form)
        window.add_screen(self.receipt)
        for service_id, intro in intros.items():
            intro.start_requested.connect(lambda sid=service_id: self.begin(catalogue.service(sid)))
        self.form.answered.connect(self._answer)
        self.form.confirmed.connect(self._confirm)
        self.form.camera_wanted.connect(self._camera)
        self.form.shutter.connect(self._take_photo)
        self.form.stepped.connect(window.show_step)
        self.frame.connect(lambda image: self.form.preview and self.form.preview.show_frame(image))
        navigator.subscribe(self._on_screen)
        self._saving = False

    def begin(self, service: Service) -> None:
        self.form.show_form(FormSession(service))
        self._navigator.open(FORM)

    def _answer(self, value: object) -> None:
        if value is None:  # the screen already stepped back
            return
        try:
            self.form.form.answer(value)
        except InvalidInput as error:
            self.form.show_step(error=error.message)
        else:
            self.form.show_step()
        self._window.speak_current()

    def _confirm(self) -> None:
        if self._saving or self._submit is None:
            return
        form = self.form.form
        try:
            payload = form.payload()
        except InvalidInput as error:
            self.form.show_step(error=error.message)
            return
        person = self._session.person
        subject = person.id_number if person else None
        self._saving = True
        self._window.say(SAVING)
        service = form.service
        self._work.run(lambda: self._submit(service.id, payload, dict(form.photos), subject),
                       lambda queued, error: self._saved(service, queued, error))  # fmt: skip

    def _saved(self, service: Service, queued: Queued | None, error: KioskError | None) -> None:
        self._saving = False
        if error is not None:
            self.form.show_step(error=error.message)
            self._window.speak_current()
            return
        self.receipt.show_receipt(queued.receipt, service.label, self._online())
        self._navigator.open_alone(RECEIPT)

    def _camera(self, wanted: bool) -> None:
        if wanted and self._capture is None and self._devices is not None:
            from kiosk.identity.face.camera import CaptureLoop

            def on_frame(frame, _face) -> None:
                self._last_frame = frame
                self.frame.emit(to_qimage(frame))

            self._capture = CaptureLoop(self._devices.open_camera, on_frame, None)
            self._capture.start()
        elif not wanted and self._capture is not None:
            self._capture.stop(wait=False)
            self._capture = None
            self._last_frame = None

    def _take_photo(self) -> None:
        frame = self._last_frame
        if frame is None:
            self.form.show_step(error="摄像头还没有画面，请稍等再拍。")
            return
        from kiosk.identity.face.camera import shrink_to_jpeg

        self._work.run(lambda: shrink_to_jpeg(frame), lambda jpeg, error: self._answer(jpeg) if jpeg else None)

    def shutdown(self) -> None:
        self._camera(False)
        self._work.shutdown()

    def _on_screen(self, screen_id: str) -> None:
        if screen_id != FORM:
            self._camera(False)
        if self._navigator.at_home:
            self.form.clear_form()
            self.receipt.clear()
