"""A walk through one service on the kiosk's real screens, with example answers, for its guide.

Each stop is the window as it looks (grabbed offscreen), the button to tap on it (if any) and one
short sentence saying what to do there. The walk presses the real buttons, so the guide follows
the screens wherever they go; answers that need a device (the card, the camera) are given the way
the device would give them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.app.navigation import service_screen
from kiosk.app.session import CheckinMethod, FaceEvidence, Person
from kiosk.app.status import KioskStatus, Network
from kiosk.app.submit import ANSWERED_KINDS, LISTED, SEEN_NEXT_TIME, Delivery
from kiosk.identity.sam import CardData
from kiosk.services.guides import MAX_STEP_CHARS
from kiosk.ui.examples import EXAMPLE_PERSON, example_photo, show_face_check
from kiosk.ui.screens.checkin import FACE
from kiosk.ui.screens.form import MORE
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.text_entry import OWN_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtGui import QImage

    from kiosk.services.catalogue import Field, Service
    from kiosk.ui.shell import Shell

SIZE = QSize(1920, 1080)
DPI = 102.0  # a 21.5-inch 1080p panel, the kiosk's usual screen
EXAMPLE_RECEIPT = "K7QM-3XD9"
EXAMPLE_TIME = datetime(2026, 3, 2, 9, 30)
EXAMPLE_PHOTO = b"\xff\xd8 example"
EXAMPLE_TEXT = "村委会门口"
EXAMPLE_PHONE = "13912345678"
EXAMPLE_CARD = CardData(EXAMPLE_PERSON.name, "", "", "", "", EXAMPLE_PERSON.id_number, "", "", "", b"")


@dataclass
class Stop:
    picture: QImage
    target: QRect | None  # the button to tap, in the picture's pixels
    text: str


def tour(shell: Shell, service: Service) -> Iterator[Stop]:
    """The stops of ``service`` from the home screen to its receipt."""
    window = shell.window
    window.status_strip.show_fixed(KioskStatus(Network.ONLINE, 0), EXAMPLE_TIME)
    window.resize(SIZE)
    window.show()
    shell.navigator.home()
    home = window.screens["home"]
    yield _stop(shell, home.service_buttons[service.id], f"在首页点「{service.label}」。")
    home.service_buttons[service.id].click()
    intro = window.screens[service_screen(service.id)]
    if service.needs_checkin or intro.sells:
        who = "卖家把身份证" if intro.sells else "把身份证"
        yield _stop(shell, None, f"{who}放在读卡器上，等一两秒。")
        shell.checkin.card_read.emit(EXAMPLE_CARD)  # as the reader reports the card placed on this screen
        yield _stop(shell, shell.checkin.welcome.continue_button, "认出您了，点「继续」。")
        shell.checkin.welcome.continue_button.click()
    else:
        start = "请志愿者到身边，点「开始办理」。" if service.volunteer_assisted else "点「开始办理」。"
        yield _stop(shell, intro.start_button, start)
        intro.start_button.click()
    if shell.navigator.current == FACE:
        show_face_check(shell, "请把头向左转。", "turn_left", flash=3)  # as the camera's check coaches an action
        yield _stop(shell, None, "看着摄像头，按提示做几个动作。")
        evidence = FaceEvidence(EXAMPLE_PHOTO, {"method": "live", "passed": True})
        shell.session.check_in(Person(EXAMPLE_PERSON.name, EXAMPLE_PERSON.id_number, CheckinMethod.CARD, evidence))
        shell.services.begin(service)  # as the face check hands back once liveness is proven
    yield from _questions(shell)
    form = shell.services.form
    if form.buttons[0].text() == MORE:  # a long read-back: 对，提交 comes once every answer has been seen
        yield _stop(shell, form.buttons[0], f"核对每一项，点「{MORE}」往下看，都对就点「对，提交」。")
        while form.buttons[0].text() == MORE:
            form.buttons[0].click()
    else:
        yield _stop(shell, form.buttons[0], "核对一遍，对的话点「对，提交」。")
    listed = (LISTED,) if service.kind == "listing" else ()
    later = listed + ((SEEN_NEXT_TIME,) if service.kind in ANSWERED_KINDS else ())
    shell.services.receipt.show_receipt(EXAMPLE_RECEIPT, service.label, Delivery.NOW, later)
    shell.navigator.open_alone(RECEIPT)  # as the save returns
    yield _stop(shell, shell.services.receipt.number, "记下回执号。办好了，点「首页」。")
    shell.navigator.home()


def _questions(shell: Shell) -> Iterator[Stop]:
    form = shell.services.form
    while (field := form.form.step.field) is not None:
        if field.type == "choice":
            choice = field.choices[0]
            button = next(b for b in form.buttons if b.text() == choice.label)
            yield _stop(shell, button, _said(form.form.asked(field), f"比如点「{choice.label}」。", "点您要的那一项。"))
            button.click()
        elif field.type in ("number", "money", "phone"):
            for key in _example_number(field):
                form.press(key)
            ok = form.buttons[-1]
            yield _stop(shell, ok, _said(form.form.asked(field), "输入好了点「确定」。", "输入好了点「确定」。"))
            ok.click()
        elif field.type == "photo":
            yield _stop(shell, form.buttons[0], _said(form.form.asked(field), "再点「拍照」。", "点「拍照」。"))
            form.show_photo(example_photo())  # as the camera hands back the picture
            keep = form.buttons[0]
            yield _stop(shell, keep, f"看看照片，看得清就点「{keep.text()}」，看不清点「重拍」。")
            keep.click()
        elif form.buttons[-1].text() == OWN_WORDS:  # the station's common answers
            yield _stop(shell, form.buttons[0], f"比如点「{form.buttons[0].text()}」，别的地方点「{OWN_WORDS}」。")
            form.buttons[0].click()
        else:
            form.line.setText(EXAMPLE_TEXT)
            ok = form.buttons[-1]
            yield _stop(shell, ok, "请志愿者帮您写上，再点「确定」。")
            ok.click()


def _said(asked: list[str], then: str, short: str) -> str:
    """The question as the screen asks it, then what to do; shortened when that would be too long."""
    full = f"{''.join(asked)}{then}"
    return full if len(full) <= MAX_STEP_CHARS else short


def _example_number(field: Field) -> str:
    if field.type == "phone":
        return EXAMPLE_PHONE
    if field.type == "money":
        return "3.5"
    low = field.minimum if field.minimum is not None else 0
    high = field.maximum if field.maximum is not None else 100
    return str(12 if low <= 12 <= high else low)


def _stop(shell: Shell, widget: QWidget | None, text: str) -> Stop:
    window = shell.window
    for _ in range(3):  # as render(): buttons settle their presentation over a pass or two
        shell.app.processEvents()
    picture = window.grab().toImage()
    if widget is None:  # nothing to tap here: she waits, or looks
        return Stop(picture, None, text)
    size = widget.size()
    if isinstance(widget, QLabel):  # ring the words, not the whole width they may take
        size.setWidth(min(size.width(), widget.fontMetrics().horizontalAdvance(widget.text()) + 2))
    return Stop(picture, QRect(widget.mapTo(window, QPoint(0, 0)), size), text)
