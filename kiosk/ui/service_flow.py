"""From a service's first screen to its receipt: the questions, the read-back, the durable save.

The request is saved on a worker (never on the GUI thread) and the receipt appears only once
the save has returned; a full disk shows a plain message and no receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.app.navigation import Navigator
from kiosk.app.session import Person, Session
from kiosk.errors import InvalidInput, KioskError
from kiosk.services.catalogue import Catalogue, Service
from kiosk.services.form import FormSession
from kiosk.ui.camera_view import to_qimage
from kiosk.ui.screens.answer import ANSWER, AnswerScreen
from kiosk.ui.screens.form import FORM, RECEIPT, FormScreen, ReceiptScreen
from kiosk.ui.screens.service_intro import ServiceIntroScreen
from kiosk.ui.window import KioskWindow
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from kiosk.app.devices import Devices
    from kiosk.identity.face.camera import CaptureLoop
    from kiosk.store.answers import Answer
    from kiosk.store.outbox import Queued

# (service id, payload, photos, subject id number or None, whether an answer will come back) -> the saved request
Submit = Callable[[str, dict, dict, str | None, bool], "Queued"]
SAVING = "正在保存，请稍等。"
ASKING = "已经保存好了，正在向省里查询，请稍等。"
ANSWER_WAIT_S = 8.0
ANSWERED_KINDS = ("query", "certification", "listing")  # the province sends something back for these


class AnswerSource(Protocol):
    """Where answers from the province are kept (the background sync); every call runs on a worker."""

    def wait_for_answer(self, outbox_id: str, timeout_s: float) -> Answer | None: ...

    def unseen_answers(self, id_number: str) -> list[Answer]: ...

    def mark_shown(self, outbox_ids: list[str]) -> None: ...


class ServiceFlow(QObject):
    frame = Signal(QImage)
    answers_waiting = Signal(int)  # answers kept for the person who just checked in
    presence_wanted = Signal(object)  # a Service that needs the checked-in person's live face
    submitted = Signal()  # a request is safely on disk

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
        answers: AnswerSource | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._session = session
        self._submit = submit
        self._online = online
        self._devices = devices
        self._answers = answers
        self._catalogue = catalogue
        self._capture: CaptureLoop | None = None
        self._last_frame = None
        self._work = BackgroundWork(self)
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
        self.frame.connect(lambda image: self.form.preview and self.form.preview.show_frame(image))
        navigator.subscribe(self._on_screen)
        session.subscribe(self._look_for_answers)
        self._saving = False
        self._waiting: list[Answer] = []

    def begin_fix(self, service_id: str, payload: dict, photos: dict[str, bytes]) -> bool:
        """A volunteer corrects a request the province sent back: its answers, at the read-back."""
        try:
            service = self._catalogue.service(service_id)
        except InvalidInput:
            return False
        applicant = payload.get("applicant") or {}
        if applicant.get("id_number"):  # the villager it was made for, as if checked in with the volunteer
            self._session.check_in(Person(applicant.get("name", ""), applicant["id_number"], "volunteer"))
        form = FormSession(service, photos)
        try:
            form.prefill(payload)
        except InvalidInput:
            form = FormSession(service, photos)  # the old answers no longer pass: ask them afresh
        self.form.show_form(form)
        self._navigator.open(FORM)
        return True

    def begin(self, service: Service) -> None:
        face = next((f for f in service.fields if f.source == "face"), None)
        person = self._session.person
        if face is not None and person is not None and person.evidence is None:
            self.presence_wanted.emit(service)  # a certification: the live face first, then the form
            return
        given = {face.id: person.evidence.jpeg} if face is not None and person is not None else None
        self.form.show_form(FormSession(service, given))
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
        if person is not None:  # the province must know who asks; encrypted at rest like the rest
            payload["applicant"] = {"name": person.name, "id_number": person.id_number}
            if person.evidence is not None and any(f.source == "face" for f in form.service.fields):
                payload["liveness"] = person.evidence.liveness
        self._saving = True
        self._window.say(SAVING)
        service = form.service
        answered = service.kind in ANSWERED_KINDS
        self._work.run(lambda: self._submit(service.id, payload, dict(form.photos), subject, answered),
                       lambda queued, error: self._saved(service, queued, error))  # fmt: skip

    def _saved(self, service: Service, queued: Queued | None, error: KioskError | None) -> None:
        self._saving = False
        if error is not None:
            self.form.show_step(error=error.message)
            self._window.speak_current()
            return
        self.submitted.emit()
        if service.kind == "query" and self._answers is not None:
            self._window.say(ASKING)
            self._work.run(lambda: self._answers.wait_for_answer(queued.id, ANSWER_WAIT_S),
                           lambda answer, _error: self._answered(service, queued, answer))  # fmt: skip
            return
        self._show_receipt(service, queued)

    def _answered(self, service: Service, queued: Queued, answer: Answer | None) -> None:
        if answer is None:
            self._show_receipt(service, queued)
            return
        self.answer.show_answers([answer], receipt=queued.receipt)
        self._navigator.open_alone(ANSWER)
        self._work.run(lambda: self._answers.mark_shown([answer.outbox_id]), lambda *_: None)

    def _look_for_answers(self, person) -> None:
        self._waiting = []
        if person is None or self._answers is None:
            self.answers_waiting.emit(0)
            return
        id_number = person.id_number
        self._work.run(lambda: self._answers.unseen_answers(id_number),
                       lambda found, _error: self._found(id_number, found or []))  # fmt: skip

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
        self._navigator.open(ANSWER)
        self.answers_waiting.emit(0)
        self._work.run(lambda: self._answers.mark_shown([a.outbox_id for a in waiting]), lambda *_: None)

    def _show_receipt(self, service: Service, queued: Queued) -> None:
        self.receipt.show_receipt(queued.receipt, service.label, self._online(), service.kind in ANSWERED_KINDS)
        self._navigator.open_alone(RECEIPT)
        printer = self._devices.printer if self._devices is not None else None
        if printer is not None:
            from kiosk.app.receipt_printer import print_quietly

            station = self._window.screens["home"].title
            self._work.run(lambda: print_quietly(printer, station, service.label, queued.receipt), lambda *_: None)

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
            self.answer.clear()
