"""Assemble the kiosk UI: fonts, theme, window and screens, with their state injected."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QEventLoop, QLoggingCategory, QObject, QSize, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from kiosk import systemd
from kiosk.app.doctor import Check
from kiosk.app.navigation import Navigator
from kiosk.app.session import Person, Session
from kiosk.app.speech import SilentSpeaker, Speaker
from kiosk.app.staff import Operator
from kiosk.app.status import KioskStatus
from kiosk.paths import assets_dir
from kiosk.services.catalogue import Catalogue
from kiosk.services.reference import reference_files
from kiosk.store.answers import Answer
from kiosk.ui.checkin_flow import CheckinFlow
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.guide_flow import GuideFlow
from kiosk.ui.screens.checkin import CHOOSE as CHECKIN
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.service_intro import ServiceIntroScreen
from kiosk.ui.service_flow import AnswerSource, ServiceFlow, Submit
from kiosk.ui.staff_flow import StaffBackend, StaffFlow
from kiosk.ui.theme import Theme, screen_dpi
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from kiosk.app.devices import Devices
    from kiosk.store.face_templates import Enrolled


class StatusSource(Protocol):
    def status(self) -> KioskStatus: ...


@dataclass
class Shell:
    app: QApplication
    window: KioskWindow
    navigator: Navigator
    catalogue: Catalogue
    theme: Theme
    session: Session
    checkin: CheckinFlow
    services: ServiceFlow
    staff: StaffFlow
    guides: GuideFlow | None = None

    def screen_ids(self) -> list[str]:
        return list(self.window.screens)

    def follow(self, source: StatusSource, every_ms: int = 2000) -> None:
        """Show ``source``'s status in the strip, read on a timer (a snapshot: no disk or network here)."""
        timer = QTimer(self.window)
        timer.timeout.connect(lambda: self.window.status_strip.set_status(source.status()))
        timer.start(every_ms)


# Qt keeps its own messages (stderr, which systemd sends to the journal): a Python message handler needs
# the interpreter lock, and Qt warns from inside dlopen while loading plugins, so a thread importing an
# extension module at that moment deadlocks the kiosk at start. Chatter about optional hardware video
# decoding the kiosk never uses is switched off in Qt itself.
QUIET_QT_CATEGORIES = "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false"


def application(argv: list[str] | None = None, offscreen: bool = False) -> QApplication:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QLoggingCategory.setFilterRules(QUIET_QT_CATEGORIES)
    return QApplication(argv or sys.argv[:1])


def build_shell(
    app: QApplication,
    dpi: float | None = None,
    speaker: Speaker | None = None,
    catalogue: Catalogue | None = None,
    devices: Devices | None = None,
    enrolled: Callable[[], list[Enrolled]] = list,
    submit: Submit | None = None,
    answers: AnswerSource | None = None,
    staff: StaffBackend | None = None,
) -> Shell:
    family = load_bundled_fonts(assets_dir() / "fonts")
    theme = Theme(screen_dpi(app.primaryScreen(), dpi), family)
    app.setFont(theme.body_font())
    references = reference_files()
    catalogue = catalogue or references.catalogue()
    navigator = Navigator()
    window = KioskWindow(theme, navigator, speaker or SilentSpeaker())
    session = Session()
    window.add_screen(HomeScreen(theme, catalogue, navigator.open_service))
    intros = {}
    guides = None
    for service in catalogue.services:
        if service.kind == "guide":
            guides = GuideFlow(window, navigator, service, references.guides())
            continue
        intro = ServiceIntroScreen(theme, service)
        intro.checkin_requested.connect(lambda: navigator.open(CHECKIN))
        session.subscribe(intro.show_person)
        window.add_screen(intro)
        intros[service.id] = intro
    checkin = CheckinFlow(window, navigator, session, devices, enrolled)
    services = ServiceFlow(window, navigator, session, catalogue, intros, submit, devices, answers=answers)
    services.answers_waiting.connect(checkin.welcome.show_answer_count)
    services.presence_wanted.connect(lambda service: checkin.prove_presence(lambda: services.begin(service)))
    checkin.welcome.answers_wanted.connect(services.show_waiting_answers)
    labels = {service.id: service.label for service in catalogue.services}
    listing = next((s for s in catalogue.services if s.kind == "listing"), None)
    helper = StaffFlow(
        window, navigator, session, staff, labels, lambda: listing and services.begin(listing), services.begin_fix
    )
    services.submitted.connect(helper.submitted)
    app.aboutToQuit.connect(helper.shutdown)
    app.aboutToQuit.connect(services.shutdown)
    app.aboutToQuit.connect(checkin.shutdown)
    return Shell(app, window, navigator, catalogue, theme, session, checkin, services, helper, guides)


def render(shell: Shell, screen_id: str, size: QSize) -> QPixmap:
    """Show ``screen_id`` at ``size`` and return the grabbed pixmap."""
    shell.navigator.open(screen_id)
    shell.window.resize(size)
    shell.window.show()
    # Buttons pick their presentation as they are laid out, which can ask for one more layout pass.
    for _ in range(3):
        shell.app.processEvents()
    return shell.window.grab()


class _FirstPaint(QObject):
    def __init__(self, parent: QObject, then: Callable[[], None]) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def after_first_paint(shell: Shell, then: Callable[[], None]) -> None:
    """Run ``then`` on the event loop once the home screen has been painted."""
    home = shell.window.current_screen()
    home.installEventFilter(_FirstPaint(home, then))


def quit_when_painted(shell: Shell) -> None:
    """Exit the event loop once the home screen has been painted (start-up benchmarks, smoke tests)."""
    after_first_paint(shell, QApplication.quit)


def report_to_systemd(shell: Shell) -> None:
    """READY=1 once the villager can see the kiosk; WATCHDOG=1 from this event loop while it turns."""
    interval = systemd.watchdog_interval_ms()

    def ready() -> None:
        systemd.notify("READY=1")
        if interval is not None:
            timer = QTimer(shell.window)
            timer.timeout.connect(lambda: systemd.notify("WATCHDOG=1"))
            timer.start(interval)

    after_first_paint(shell, ready)


def _staff_at(shell: Shell, screen_id: str) -> None:
    staff = shell.staff
    staff.operator = Operator("李明", "technician" if screen_id == "staff.doctor" else "volunteer")
    staff.menu.show_operator(staff.operator.role == "technician")
    staff.menu.show_calls(["09:12", "10:47"])
    staff.show_banner()
    shell.navigator.open(screen_id)


def _form_at(shell: Shell, service_id: str, answers: list) -> None:
    shell.services.begin(shell.catalogue.service(service_id))
    for answer in answers:
        shell.services.form.form.answer(answer)
    shell.services.form.show_step()


def _guide_at(shell: Shell, guide_id: str, index: int) -> None:
    flow = shell.guides
    flow.open_guide(next(g for g in flow.topics.guides if g.id == guide_id))
    flow.steps.show_step(index)


def _guide_video_at(shell: Shell, guide_id: str) -> None:
    """The video screen with its first frame (which the decoder delivers a moment after opening)."""
    _guide_at(shell, guide_id, 0)
    shell.guides.open_video(shell.guides.steps.guide)
    deadline = time.monotonic() + FRAME_WAIT_S
    while not shell.guides.video.surface.has_frame and time.monotonic() < deadline:
        shell.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


FRAME_WAIT_S = 3.0
EXAMPLE_PERSON = Person("张秀英", "410102195001012343", "card")
EXAMPLE_CHECKS = [
    ("camera", "摄像头", "failure", "摄像头 /dev/video0 打不开", "检查摄像头的 USB 线"),
    (
        "card_reader",
        "身份证读卡器",
        "failure",
        "打不开读卡器 /dev/ttyUSB0：没有这个设备（没插上，或设备名写错了）",
        "检查读卡器的 USB 线和电源，以及 [devices] card_reader 设置；ls /dev/ttyUSB* 应能看到它",
    ),
    ("voice_model", "语音识别模型", "warning", "没有装语音识别模型：只能触摸操作", "kiosk voice install-model"),
    ("province", "省平台连接和签名", "failure", "连不上省平台 https://zwfw.example.gov.cn", "检查网线或 4G"),
    ("disk", "磁盘空间", "ok", "数据盘剩余 41.3 GB", ""),
]
EXAMPLE_ANSWERS = [
    Answer("x", "social_security", "社保查询结果", ("养老金每月 2,104.50 元", "2026年11月的养老金已经发放"), 0.0),
    Answer("y", "pension_cert", "养老认证结果", ("养老资格认证已通过，有效期到 2027年11月",), 0.0),
]


def example_states(shell: Shell) -> dict[str, Callable[[], None]]:
    """Screens in the middle of a real flow, for screenshots and the accessibility audit."""

    photo = b"\xff\xd8 example"
    return {
        "form.choice": lambda: _form_at(shell, "subsidy", []),
        "form.keypad": lambda: _form_at(shell, "subsidy", ["farm_machinery"]),
        "form.photo": lambda: _form_at(shell, "farm_listing", ["fruit"]),
        "form.text": lambda: _form_at(shell, "farm_listing", ["fruit", photo, 30, "jin", 3.5]),
        "form.confirm": lambda: _form_at(
            shell, "farm_listing", ["fruit", photo, 30, "jin", 3.5, "村委会门口", "13912345678"]
        ),
        "receipt.example": lambda: (
            shell.services.receipt.show_receipt("K7QM-3XD9", "补贴申领", online=False),
            shell.navigator.open_alone("receipt"),
        ),
        "guide.example": lambda: shell.window.screens["service.guides"].buttons[2].click(),
        "guide.step.example": lambda: _guide_at(shell, "subsidy_here", 2),
        "guide.video.example": lambda: _guide_video_at(shell, "subsidy_here"),
        "checkin.done.example": lambda: (shell.session.check_in(EXAMPLE_PERSON), shell.navigator.open("checkin.done")),
        "checkin.done.answers": lambda: (
            shell.session.check_in(EXAMPLE_PERSON),
            shell.checkin.welcome.show_answer_count(2),
            shell.navigator.open("checkin.done"),
        ),
        "staff.example": lambda: _staff_at(shell, "staff"),
        "staff.queue.example": lambda: (
            shell.staff.queue.show_queue(
                {"queued": 3, "sending": 0, "accepted": 41, "rejected": 2, "published": 5},
                [
                    ("a", "K7QM-3XD9 补贴申领", "省平台说不符合申领条件（面积超过 500 亩，请到乡镇办理）"),
                    ("b", "P2ZR-8WQ4 卖农产品", "省平台说填写的内容不完整或有误，请核对后重发"),
                ],
            ),
            _staff_at(shell, "staff.queue"),
        ),
        "staff.doctor.example": lambda: (
            shell.staff.doctor.show_results([Check(*check) for check in EXAMPLE_CHECKS]),
            _staff_at(shell, "staff.doctor"),
        ),
        "form.helper.example": lambda: (_staff_at(shell, "staff"), _form_at(shell, "farm_listing", ["fruit"])),
        "answer.example": lambda: (
            shell.services.answer.show_answers(EXAMPLE_ANSWERS, receipt="K7QM-3XD9"),
            shell.navigator.open_alone("answer"),
        ),
    }


def render_state(shell: Shell, name: str, size: QSize) -> QPixmap:
    """Render a screen id, or one of the example states."""
    states = example_states(shell)
    if name not in states:
        return render(shell, name, size)
    shell.navigator.home()
    shell.window.show()
    states[name]()
    shell.app.processEvents()
    shell.window.resize(size)
    for _ in range(3):
        shell.app.processEvents()
    return shell.window.grab()
