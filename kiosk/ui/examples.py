"""Screens in the middle of a real flow, for screenshots and the accessibility audit.

Each example drives the real flows of a shell built without a store (``kiosk screenshot``), so a
screen looks here exactly as a villager or a volunteer meets it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QEventLoop, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.app import face_words
from kiosk.app.doctor import Check, Verdict
from kiosk.app.rate import Rating, Reason
from kiosk.app.session import CheckinMethod, Person
from kiosk.app.staff import Operator, Role
from kiosk.app.submit import ANSWERED_KINDS, SEEN_NEXT_TIME, Delivery
from kiosk.app.teach import Speaker
from kiosk.paths import assets_dir
from kiosk.store.answers import Answer
from kiosk.ui.recording_flow import TAKEN
from kiosk.ui.screens.checkin import ATTEST, FACE
from kiosk.ui.service_flow import QUERYING
from kiosk.ui.shell import render
from kiosk.ui.teaching_flow import ENOUGH
from kiosk.ui.text_entry import OWN_WORDS
from kiosk.ui.widgets import icon
from kiosk.voice.matcher import Intent

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QPixmap

    from kiosk.ui.shell import Shell
    from kiosk.voice.lines import Spoken


def _staff_at(shell: Shell, screen_id: str) -> None:
    staff = shell.staff
    staff.operator = Operator("李明", Role.TECHNICIAN if screen_id == "staff.doctor" else Role.VOLUNTEER)
    staff.menu.show_operator(staff.operator.role == Role.TECHNICIAN)
    staff.menu.show_calls(EXAMPLE_CALLS)
    staff.show_banner()
    shell.navigator.open(screen_id)


def _form_at(shell: Shell, service_id: str, answers: list) -> None:
    shell.session.check_in(EXAMPLE_PERSON)  # as after her card on the service's first screen
    shell.services.begin(shell.catalogue.service(service_id))
    for answer in answers:
        shell.services.form.form.answer(answer)
    shell.services.form.show_step()


def _typing_at(shell: Shell, photo: list, letters: str) -> None:
    """The pickup place being typed: 「自己输入」 tapped, the letters of 村委 in, Pinyin offering its characters."""
    _form_at(shell, "farm_listing", ["fruit", *photo, "jin", 30, 3.5])
    form = shell.services.form
    next(button for button in form.buttons if button.text() == OWN_WORDS).click()
    _typed(shell, letters)


def _typed(shell: Shell, letters: str) -> None:
    """Letters typed on the keyboard once it has laid itself over its space, and Pinyin's offer drawn."""
    for then in (lambda: shell.window.typing.keyboard.type_letters(letters), lambda: None):
        deadline = time.monotonic() + KEYBOARD_WAIT_S
        while time.monotonic() < deadline:
            shell.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        then()


def _rejected(shell: Shell, taps: str) -> None:
    """The area keyed in too large and 确定 tapped: her value stays in its box, the reason beside it."""
    _form_at(shell, "subsidy", ["farmland_protection"])
    form = shell.services.form
    for key in taps:
        form.press(key)
    form.buttons[-1].click()  # 确定


def _read_back_at(shell: Shell, service_id: str, answers: list, pick: bool = False) -> None:
    _form_at(shell, service_id, answers)
    if pick:  # 不对，改一下
        shell.services.form.buttons[1].click()


def _idle_warning(shell: Shell) -> None:
    """A form left alone until the warning shows, 25 seconds before the reset."""
    from kiosk.app.idle import IdleClock
    from kiosk.ui.idle_guard import IdleGuard

    _form_at(shell, "subsidy", ["farmland_protection"])
    now = [0.0]
    guard = IdleGuard(shell.window, shell.navigator, IdleClock(120, 30, clock=lambda: now[0]), tick_ms=3_600_000)
    now[0] = 95.0
    guard.tick()


def _rating_at(shell: Shell, taps: list) -> None:
    """A receipt seen and left by 首页: the faces, and what the villager taps there."""
    shell.services.receipt.show_receipt("K7QM-3XD9", "补贴申领", Delivery.NOW)
    shell.navigator.open_alone("receipt")
    shell.rating.offer(shell.catalogue.service("subsidy"), "0190a1b2-0000-7000-8000-000000000001")
    shell.window.go_home()
    screen = shell.rating.screen
    for tap in taps:
        (screen.face_buttons.get(tap) or screen.reason_buttons[tap]).click()


def _receipt_at(shell: Shell, service_id: str, delivery: Delivery) -> None:
    """The receipt of a request just saved, sent now or when the network returns."""
    service = shell.catalogue.service(service_id)
    later = (SEEN_NEXT_TIME,) if service.kind in ANSWERED_KINDS else ()
    shell.services.receipt.show_receipt("K7QM-3XD9", service.label, delivery, later)
    shell.services.receipt.pictogram = service.icon
    shell.navigator.open_alone("receipt")


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


def show_face_check(
    shell: Shell, words: Spoken, action: str | None = None, offers=(), flash: int | None = None
) -> None:
    """The face screen as the check reports it: the demo photo in the preview, the frame lit with one of
    the flash's colours (by its place in the palette), or the fallback offered after the last try."""
    from kiosk.identity.face.flash import PALETTE

    if "attest" in offers:  # proving the presence of the card holder, as a certification does
        shell.session.check_in(EXAMPLE_PERSON)
        shell.checkin.prove_presence(lambda: None)
    else:
        shell.navigator.open(FACE)
    face = shell.checkin.face
    photo = QImage(str(assets_dir() / "demo" / "face.jpg")).copy(QRect(*DEMO_CLOSE))
    face.preview.show_frame(photo.flipped(Qt.Orientation.Horizontal))
    face.preview.light(PALETTE[flash] if flash is not None else None)
    face.coach(words, action, offers, checking=flash is not None)
    if action is not None:  # the moving picture half-way through its movement, as a villager sees it
        deadline = time.monotonic() + PICTURE_MID_S
        while time.monotonic() < deadline:
            shell.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _attest_at(shell: Shell) -> None:
    shell.session.check_in(EXAMPLE_PERSON)
    shell.checkin.attest_screen.for_person(EXAMPLE_PERSON)
    shell.navigator.open(ATTEST)


def _until(shell: Shell, done: Callable[[], bool]) -> None:
    """Let the flow's worker answer (the real one, reading the real pack folder) before the picture is taken."""
    deadline = time.monotonic() + FRAME_WAIT_S
    while not done() and time.monotonic() < deadline:
        shell.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _voice_at(shell: Shell, screen: str) -> None:
    """方言语音's screens as a volunteer meets them on a station that has recorded and taught a little."""
    voice = shell.voice
    _staff_at(shell, "staff")
    if screen == "voice":
        voice.open()
        _until(shell, lambda: bool(voice.screen.summary.text()))
        return
    if screen.startswith("record"):
        voice.recording.open()
        _until(shell, lambda: bool(voice.recording.list.buttons))
        if screen == "record.line":
            voice.recording.list.buttons[1].click()
            line = voice.recording.line
            line.meter.show_level(0.62)
            line.show_state(recording=False, taken=True, status=TAKEN.format(seconds=1.8))
        return
    teaching = voice.teaching
    if screen == "teach.remove":
        teaching.open_removal()
        _until(shell, lambda: bool(teaching.remove.message.text()))  # without a store: no one to list
        teaching.remove.show_speakers([Speaker("李明", 18), Speaker("张秀英", 9), Speaker("王建国", 12)])
        return
    teaching.open()
    if screen == "teach.who":
        return
    if screen == "teach.who.keyboard":  # the speaker's name being written: 陈 offered for "chen"
        teaching.who.write_button.click()
        teaching.who.name.clear()
        _typed(shell, "chen")
        return
    teaching.who.agree_button.click()
    _until(shell, lambda: bool(teaching.commands.message.text()))  # without a store: nothing counted
    teaching.commands.show_message("")
    counts = {"social_security": 3, "subsidy": 4, "back": 5, "home": 3}
    teaching.commands.show_commands("李明", teaching.labels, counts)
    if screen == "teach.say":
        teaching.commands.buttons[2].click()
        teaching.say.meter.show_level(0.55)
        teaching.say.show_state(recording=False, sayings=3, status=ENOUGH.format(n=3))
        shell.window.refresh_header()


FRAME_WAIT_S = 3.0
EXAMPLE_CALLS = [(1, "09:12 补贴申领，第 2 步 / 共 4 步"), (2, "10:47 登记身份")]
DEMO_CLOSE = (130, 62, 380, 285)  # the demo photo as the camera sees it once she has come close
PICTURE_MID_S = 0.45
KEYBOARD_WAIT_S = 0.3
EXAMPLE_PERSON = Person("张秀英", "410102195001012343", CheckinMethod.CARD)
EXAMPLE_CHECKS = [
    ("camera", "摄像头", Verdict.FAILURE, "摄像头 /dev/video0 打不开", "检查摄像头的 USB 线"),
    (
        "card_reader",
        "身份证读卡器",
        Verdict.FAILURE,
        "打不开读卡器 /dev/ttyUSB0：没有这个设备（没插上，或设备名写错了）",
        "检查读卡器的 USB 线和电源，以及 [devices] card_reader 设置；ls /dev/ttyUSB* 应能看到它",
    ),
    ("voice_model", "语音识别模型", Verdict.WARNING, "没有装语音识别模型：只能触摸操作", "kiosk voice install-model"),
    ("province", "省平台连接和签名", Verdict.FAILURE, "连不上省平台 https://zwfw.example.gov.cn", "检查网线或 4G"),
    ("disk", "磁盘空间", Verdict.OK, "数据盘剩余 41.3 GB", ""),
]
EXAMPLE_ANSWERS = [
    Answer("x", "social_security", "社保查询结果", ("养老金每月 2,104.50 元", "2026年11月的养老金已经发放"), 0.0),
    Answer("y", "pension_cert", "养老认证结果", ("养老资格认证已通过，有效期到 2027年11月",), 0.0),
]


def example_photo() -> bytes:
    """A product photo as the camera hands it back (a JPEG): the basket of produce on a wooden table."""
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#C9A77C"))
    painter = QPainter(image)
    icon("basket").paint(painter, QRect(140, 60, 360, 360))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 85)
    return bytes(buffer.data())


def example_states(shell: Shell) -> dict[str, Callable[[], None]]:
    """Screens in the middle of a real flow, for screenshots and the accessibility audit."""

    photo = example_photo()
    return {
        "form.choice": lambda: _form_at(shell, "subsidy", []),
        "form.keypad": lambda: _form_at(shell, "subsidy", ["farmland_protection"]),
        "form.keypad.error": lambda: _rejected(shell, "20000"),
        "form.machine": lambda: _form_at(shell, "subsidy", ["farm_machinery"]),
        "form.leave": lambda: (_form_at(shell, "subsidy", ["farmland_protection"]), shell.window.go_home()),
        "form.back": lambda: (_form_at(shell, "subsidy", ["elderly_allowance"]), shell.window.go_back()),
        "form.confirm.subsidy": lambda: _read_back_at(shell, "subsidy", ["farm_machinery", "drone", "13912345678"]),
        "form.confirm.pick": lambda: _read_back_at(
            shell, "subsidy", ["farmland_protection", 12.5, "13912345678"], pick=True
        ),
        "form.offered": lambda: (  # she said 卖土豆 on the home screen
            shell.services.offer(Intent("farm_listing", "卖", named="土豆", field="product")),
            _form_at(shell, "farm_listing", []),
        ),
        "form.photo": lambda: _form_at(shell, "farm_listing", ["fruit"]),
        "form.photo.check": lambda: (_form_at(shell, "farm_listing", ["fruit"]), shell.services.form.show_photo(photo)),
        "form.quantity": lambda: _form_at(shell, "farm_listing", ["fruit", photo, "jin"]),
        "form.text": lambda: _form_at(shell, "farm_listing", ["fruit", photo, "jin", 30, 3.5]),
        "form.text.keyboard": lambda: _typing_at(shell, [photo], "cunwei"),
        "form.confirm": lambda: _form_at(
            shell, "farm_listing", ["fruit", photo, "jin", 30, 3.5, "村委会门口", "13912345678"]
        ),
        "idle.warning": lambda: _idle_warning(shell),
        "form.help": lambda: (_form_at(shell, "subsidy", ["farmland_protection"]), shell.window.call_volunteer()),
        "guide.step.help": lambda: (_guide_at(shell, "subsidy_here", 2), shell.window.call_volunteer()),
        "rating.faces": lambda: _rating_at(shell, []),
        "rating.reasons": lambda: _rating_at(shell, [Rating.UNSATISFIED]),
        "rating.thanks": lambda: _rating_at(shell, [Rating.UNSATISFIED, Reason.HARD_TO_USE]),
        "receipt.example": lambda: _receipt_at(shell, "subsidy", Delivery.WHEN_ONLINE),
        "receipt.online": lambda: _receipt_at(shell, "subsidy", Delivery.NOW),
        "receipt.unanswered": lambda: _receipt_at(shell, "social_security", Delivery.UNANSWERED),
        "form.querying": lambda: (
            _form_at(shell, "social_security", ["pension"]),
            shell.services.busy.hold(QUERYING),
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
        "checkin.face.still": lambda: show_face_check(shell, face_words.HOLD_STILL, flash=0),
        "checkin.face.turn": lambda: show_face_check(shell, "请把头向左转。", "turn_left", flash=3),
        "checkin.face.blink": lambda: show_face_check(shell, "请眨一下眼睛。", "blink", flash=4),
        "checkin.face.retry": lambda: show_face_check(shell, (face_words.WRONG_ACTION, face_words.ONLY_THAT_ACTION)),
        "checkin.face.gave_up": lambda: show_face_check(
            shell, (face_words.FLASH_NOT_FOLLOWED, face_words.GIVE_UP), offers=("retry", "card", "volunteer")
        ),
        "checkin.face.attest": lambda: show_face_check(
            shell, (face_words.WRONG_ACTION, face_words.ASK_VOLUNTEER), offers=("retry", "volunteer", "attest")
        ),
        "checkin.attest.example": lambda: _attest_at(shell),
        "staff.example": lambda: _staff_at(shell, "staff"),
        "staff.queue.example": lambda: (
            shell.staff.queue.show_queue(
                {"queued": 3, "sending": 0, "accepted": 41, "rejected": 2, "published": 5}
                | {"photo_current": 3, "photo_total": 5, "photo_percent": 60}
                | {"ratings": {"satisfied": 36, "basic": 4, "unsatisfied": 1}},
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
        "staff.voice.example": lambda: _voice_at(shell, "voice"),
        "staff.record.example": lambda: _voice_at(shell, "record"),
        "staff.record.line.example": lambda: _voice_at(shell, "record.line"),
        "staff.teach.who.example": lambda: _voice_at(shell, "teach.who"),
        "staff.teach.who.keyboard": lambda: _voice_at(shell, "teach.who.keyboard"),
        "staff.teach.example": lambda: _voice_at(shell, "teach"),
        "staff.teach.say.example": lambda: _voice_at(shell, "teach.say"),
        "staff.teach.remove.example": lambda: _voice_at(shell, "teach.remove"),
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
    shell.window.resize(size)  # the panel's size first, as at the kiosk: a screen may fit itself to it
    shell.app.processEvents()
    states[name]()
    shell.app.processEvents()
    shell.window.resize(size)  # and again: a state's passing layout can have pushed the window
    for _ in range(3):
        shell.app.processEvents()
    return shell.window.grab()
