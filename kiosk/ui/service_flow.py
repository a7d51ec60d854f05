"""From a service's first screen to its receipt: the questions, the read-back, the durable save.

The request is saved on a worker (never on the GUI thread) and the receipt appears only once
the save has returned; a full disk shows a plain message and no receipt. From the tap on 提交 (or on
拍照) until the work is done, a veil says what is happening and takes every further tap; a query
asked online waits for the province's answer only up to ``answer_wait_s``, then goes on as an
offline one and its receipt says so.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.app.submit import Delivery
from kiosk.errors import InvalidInput
from kiosk.services.form import FormSession
from kiosk.ui.busy import BusyVeil
from kiosk.ui.camera_view import to_qimage
from kiosk.ui.screens.answer import ANSWER, AnswerScreen
from kiosk.ui.screens.form import FORM, FormScreen
from kiosk.ui.screens.receipt import RECEIPT, ReceiptScreen
from kiosk.ui.work import BackgroundWork
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.answers import WaitingAnswers
    from kiosk.app.devices import Devices
    from kiosk.app.navigation import Navigator
    from kiosk.app.session import Session
    from kiosk.app.submit import Draft, Request, SubmitRequest
    from kiosk.errors import KioskError
    from kiosk.identity.face.camera import CaptureLoop
    from kiosk.services.catalogue import Catalogue, Service
    from kiosk.store.answers import Answer
    from kiosk.store.outbox import Queued
    from kiosk.ui.screens.service_intro import ServiceIntroScreen
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.matcher import Intent

log = logging.getLogger(__name__)
SAVING = phrase("screen.form.saving", "正在保存，请稍等。")
QUERYING = phrase("screen.form.querying", "正在查询，请稍等。")
TAKING_PHOTO = phrase("screen.form.taking_photo", "正在拍照，请稍等。")
CAMERA_BROKEN = phrase("screen.form.camera_broken", "摄像头出了问题，请叫志愿者。")
NO_PICTURE_YET = phrase("screen.form.no_picture_yet", "摄像头还没有画面，请稍等再拍。")


class ServiceFlow(QObject):
    frame = Signal(QImage)
    camera_failed = Signal(str)
    answers_waiting = Signal(int)  # answers kept for the person who just checked in
    presence_wanted = Signal(object)  # a Service that needs the checked-in person's live face
    finished = Signal(object, str)  # a Service and its request's id, shown as a receipt or an answer
    checkin_wanted = Signal()  # a service begun with nobody it could be for

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        session: Session,
        catalogue: Catalogue,
        intros: dict[str, ServiceIntroScreen],
        submit: SubmitRequest,
        answers: WaitingAnswers | None,
        devices: Devices | None = None,
        online: Callable[[], bool] = lambda: False,
        *,
        answer_wait_s: float,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._session = session
        self._submit = submit
        self._online = online
        self._answer_wait_s = answer_wait_s
        self._devices = devices
        self._answers = answers
        self._capture: CaptureLoop | None = None
        self._last_frame = None
        self._work = BackgroundWork(self, "service")
        self.busy = BusyVeil(window)
        self.form = FormScreen(window.theme)
        self.receipt = ReceiptScreen(window.theme)
        self.answer = AnswerScreen(window.theme)
        window.add_screen(self.form)
        window.add_screen(self.receipt)
        window.add_screen(self.answer)
        for service_id, intro in intros.items():
            intro.start_requested.connect(lambda sid=service_id: self.begin(catalogue.service(sid)))
        self.form.answered.connect(self._answer)
        self.form.confirmed.connect(self._confirm)
        self.form.camera_wanted.connect(self._camera)
        self.form.shutter.connect(self._take_photo)
        self.form.stepped.connect(window.show_step)
        self.form.say.connect(window.say)
        self.frame.connect(lambda image: self.form.preview and self.form.preview.show_frame(image))
        self.camera_failed.connect(lambda message: self.form.show_step(error=message))
        navigator.subscribe(self._on_screen)
        session.subscribe(self._look_for_answers)
        self._draft: Draft | None = None  # the villager's intention: the form on screen
        self._waiting: list[Answer] = []
        self._offered: Intent | None = None  # what she named with a spoken request, for its service's form

    def offer(self, intent: Intent) -> None:
        """She named a thing as she asked for a service (卖土豆): offered at its question when the form opens."""
        self._offered = intent if intent.named and intent.field else None

    def begin(self, service: Service) -> None:
        draft = self._submit.begin(service, self._session.person)
        if draft.needs_checkin:
            self.checkin_wanted.emit()  # a listing with nobody to sell for: the seller checks in first
            return
        if draft.needs_live_face:
            self.presence_wanted.emit(service)  # a certification: the live face first, then the form
            return
        form = FormSession(service, draft.given_photos, draft.given_answers, own_phone=self._session.person is not None)
        offered, self._offered = self._offered, None
        if offered is not None and offered.name == service.id:
            form.offer(offered.field, offered.named)
        self.open_form(draft, form)

    def open_form(self, draft: Draft, form: FormSession) -> None:
        """Show ``form`` for ``draft``: a new service, or a set-aside request to correct (at its read-back)."""
        self._draft = draft
        self.form.show_form(form)
        self._navigator.open(FORM)

    def _answer(self, value: object) -> None:
        if value is None:  # the screen already stepped back
            return
        try:
            self.form.form.answer(value)
        except InvalidInput as error:
            self.form.show_error(error)
        else:
            self.form.show_step()
        self._window.speak_current()

    def _confirm(self) -> None:
        if self.busy.holding or self._draft is None:
            return
        try:
            request = self._submit.request(self._draft, self.form.form, self._session.person)
        except InvalidInput as error:
            self.form.show_error(error)
            return
        asks = self._answers is not None and request.answered_at_once(self._online())
        self.busy.hold(QUERYING if asks else SAVING)
        self._work.run(
            lambda: self._submit(request), partial(self._saved, request, asks), partial(self._not_saved, request)
        )

    def _not_saved(self, request: Request, error: KioskError) -> None:
        if request.draft is not self._draft:  # she has gone home meanwhile: there is no form to say it on
            return
        self.busy.release()
        self.form.show_step(error=error.message)
        self._window.speak_current()

    def _saved(self, request: Request, asks: bool, queued: Queued) -> None:
        if request.draft is not self._draft:  # the session ended meanwhile: saved, and nobody to show it to
            return
        if not asks:
            self._show_receipt(request, queued, Delivery.NOW if self._online() else Delivery.WHEN_ONLINE)
            return
        self._work.run(
            lambda: self._answers.wait_for(queued.id, self._answer_wait_s),
            lambda answer: self._answered(request, queued, answer),
            lambda _error: self._show_receipt(request, queued, Delivery.UNANSWERED),
        )

    def _answered(self, request: Request, queued: Queued, answer: Answer | None) -> None:
        if request.draft is not self._draft:
            return
        if answer is None:
            self._show_receipt(request, queued, Delivery.UNANSWERED)
            return
        self.busy.release()
        service = request.draft.service
        self.answer.show_answers([answer], receipt=queued.receipt)
        self.answer.pictogram = service.icon
        self._navigator.open_alone(ANSWER)
        self.finished.emit(service, queued.id)
        self._work.run(lambda: self._answers.mark_shown([answer.outbox_id]))

    def _look_for_answers(self, person) -> None:
        self._waiting = []
        if person is None or self._answers is None:
            self.answers_waiting.emit(0)
            return
        id_number = person.id_number
        self._work.run(lambda: self._answers.unseen_for(id_number), lambda found: self._found(id_number, found))

    def _found(self, id_number: str, answers: list[Answer]) -> None:
        person = self._session.person
        if person is None or person.id_number != id_number:  # they left meanwhile
            return
        self._waiting = answers
        self.answers_waiting.emit(len(answers))

    def show_waiting_answers(self) -> None:
        """The answers that came back since this person's last visit; seen now, so not offered again."""
        waiting, self._waiting = self._waiting, []
        self.answer.show_answers(waiting)
        self.answer.pictogram = ""  # answers to several services, kept since her last visit
        self._navigator.open(ANSWER)
        self.answers_waiting.emit(0)
        self._work.run(lambda: self._answers.mark_shown([a.outbox_id for a in waiting]))

    def _show_receipt(self, request: Request, queued: Queued, delivery: Delivery) -> None:
        self.busy.release()
        service = request.draft.service
        self.receipt.show_receipt(queued.receipt, service.label, delivery, request.what_next)
        self.receipt.pictogram = service.icon
        self._navigator.open_alone(RECEIPT)
        self.finished.emit(service, queued.id)
        printer = self._devices.printer if self._devices is not None else None
        if printer is not None:
            from kiosk.app.receipt_printer import print_quietly

            station = self._window.screens["home"].title
            self._work.run(lambda: print_quietly(printer, station, service.label, queued.receipt))

    def _camera(self, wanted: bool) -> None:
        if wanted and self._capture is None and self._devices is not None:
            from kiosk.identity.face.camera import CaptureLoop

            def on_frame(frame, _face, _read_at) -> None:
                if self._capture is loop:  # not a last frame after the step ended: it would be kept till the next
                    self._last_frame = frame
                    self.frame.emit(to_qimage(frame))

            loop = CaptureLoop(self._devices.camera, on_frame, None, self._camera_broken)
            self._capture = loop
            loop.start()
        elif not wanted and self._capture is not None:
            self._capture.stop(wait=False)
            self._capture = None
            self._last_frame = None

    def _camera_broken(self, message: str) -> None:
        """On the camera's thread: the photo step says so in plain words; the technician's detail is logged."""
        log.warning("camera failed in a photo step: %s", message)
        self.camera_failed.emit(CAMERA_BROKEN)

    def _take_photo(self) -> None:
        frame = self._last_frame
        if frame is None:
            self.form.show_step(error=NO_PICTURE_YET)
            return
        from kiosk.identity.face.camera import shrink_to_jpeg

        self.busy.hold(TAKING_PHOTO)
        self._work.run(lambda: shrink_to_jpeg(frame), self._photo_taken, self._photo_failed)

    def _photo_taken(self, jpeg: bytes) -> None:
        self.busy.release()
        if self.form.form is not None:  # still at the photo step: nobody went home meanwhile
            self.form.show_photo(jpeg)  # she looks at it before it is used

    def _photo_failed(self, error: KioskError) -> None:
        self.busy.release()
        if self.form.form is not None:
            self.form.show_step(error=error.message)

    def shutdown(self) -> None:
        self._camera(False)
        if self._answers is not None:
            self._answers.stop()
        self._work.shutdown()

    def _on_screen(self, screen_id: str) -> None:
        if screen_id != FORM:
            self._camera(False)
        if self._navigator.at_home:
            self._draft = None
            self._offered = None
            self.busy.release()
            self.form.clear_form()
            self.receipt.clear()
            self.answer.clear()
