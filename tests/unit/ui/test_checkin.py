"""Check-in by clicks, with the real serial driver on the pty simulator and the file camera."""

import cv2
import numpy as np
import pytest
import skimage.data
from PySide6.QtCore import QSize, Qt

from kiosk.app import face_checkin, face_words
from kiosk.app.devices import Devices
from kiosk.config import Config, FaceConfig
from kiosk.identity.card_reader import SerialCardReader
from kiosk.identity.card_simulator import DEMO_CARD, CardReaderSimulator
from kiosk.identity.face.camera import CameraUnavailable, FileCamera
from kiosk.ui import checkin_flow
from kiosk.ui.screens import checkin as screens
from kiosk.ui.shell import build_shell, render
from kiosk.voice.normalize import for_speech
from tests.helpers.speech import RecordingSpeaker


def portrait(side=400, top=40):
    """A real photo's face in the middle of a 640x480 picture, ``side`` pixels for the head and shoulders:
    a still photo held up to the camera (or, small, a villager standing back)."""
    canvas = np.full((480, 640, 3), 90, np.uint8)
    photo = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
    left = (640 - side) // 2
    canvas[top : top + side, left : left + side] = cv2.resize(photo[:300, 80:380], (side, side))
    return canvas


@pytest.fixture
def devices():
    simulator = CardReaderSimulator(present=False)
    simulator.plug()
    made = Devices(lambda: SerialCardReader(simulator.path), lambda: FileCamera([portrait()], fps=30), simulator)
    yield made
    made.close()


@pytest.fixture
def kiosk(qapp, devices, monkeypatch):
    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 200)
    monkeypatch.setattr(face_checkin, "RETRY_PAUSE_S", 0.3)
    speaker = RecordingSpeaker()
    config = Config(face=FaceConfig(find_face_s=1.5))  # a face never found well enough gives up quickly
    shell = build_shell(qapp, config, dpi=102, speaker=speaker, devices=devices)
    shell.spoken = speaker.said
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.checkin.shutdown()
    shell.window.close()


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_card_check_in_from_a_service_shows_only_masked_data_and_home_wipes_it(kiosk, qtbot):
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["subsidy"])
    _click(qtbot, window.screens["service.subsidy"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.card_button)
    assert kiosk.navigator.current == screens.CARD
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)
    welcome = kiosk.checkin.welcome
    assert welcome.name.text() == "您好，张*英"
    assert welcome.id_line.text() == "身份证号 4101**********2343"
    shown = " ".join(w.text() for w in window.findChildren(type(welcome.name)) if w.isVisible())
    assert DEMO_CARD["id_number"] not in shown and "张秀英" not in shown
    assert "身份证号4101**********2343" in kiosk.spoken[-1] and "张某英" in kiosk.spoken[-1]
    assert "身份证号四一零一，中间隐藏，二三四三" in for_speech(kiosk.spoken[-1])
    _click(qtbot, welcome.continue_button)
    assert kiosk.navigator.current == "form"  # on to the first question
    _click(qtbot, window.back_button)
    intro = window.screens["service.subsidy"]
    assert kiosk.navigator.current == "service.subsidy"
    assert intro.next_step.text() == "已登记：张*英" and not intro.checkin_button.isVisible()
    _click(qtbot, window.home_button)
    assert kiosk.session.person is None
    assert welcome.name.text() == "" and welcome.id_line.text() == ""
    assert intro.checkin_button.isVisibleTo(intro)


def _to_face_check_in(kiosk, qtbot, service_id="social_security"):
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons[service_id])
    _click(qtbot, window.screens[f"service.{service_id}"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.face_button)
    return kiosk.checkin.face


def test_a_photo_at_the_camera_fails_kindly_twice_and_the_card_is_offered(kiosk, qtbot):
    face = _to_face_check_in(kiosk, qtbot)
    qtbot.waitUntil(lambda: face.preview._image is not None, timeout=10_000)
    qtbot.waitUntil(lambda: face.card_button.isVisible(), timeout=30_000)
    # A photo does not light up with the screen's flash, nor does it do the action asked.
    failures = [line for line in kiosk.spoken if line.startswith(face_words.FLASH_NOT_FOLLOWED)]
    assert failures == [face_words.FLASH_NOT_FOLLOWED + face_words.FACE_THE_SCREEN,
                        face_words.FLASH_NOT_FOLLOWED + face_words.GIVE_UP]  # fmt: skip
    assert face.coaching.text() == failures[-1] and face.volunteer_button.isVisible()
    assert not face.attest_button.isVisible()  # nobody to vouch for: she has not said who she is
    assert kiosk.session.person is None
    _click(qtbot, face.card_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)
    assert kiosk.session.person.how == "card"


def test_a_face_never_found_well_enough_leads_to_the_card_option_spoken(kiosk, qtbot, devices):
    devices.open_camera = lambda: FileCamera([portrait(side=260, top=130)], fps=30)  # she stays standing back
    face = _to_face_check_in(kiosk, qtbot)
    qtbot.waitUntil(lambda: face.coaching.text() == face_words.COME_CLOSER, timeout=10_000)
    qtbot.waitUntil(lambda: face.card_button.isVisible(), timeout=10_000)
    assert face.coaching.text() == kiosk.spoken[-1] == face_words.NO_FACE + face_words.GIVE_UP
    assert face.volunteer_button.isVisible()
    _click(qtbot, face.volunteer_button)
    assert kiosk.spoken[-1] == "已经请志愿者过来了，请稍等。"
    _click(qtbot, face.card_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)


def test_after_giving_up_she_may_try_the_face_again_from_the_start(kiosk, qtbot, devices):
    opened = []

    def standing_back():
        opened.append(True)
        return FileCamera([portrait(side=260, top=130)], fps=30)

    devices.open_camera = standing_back
    face = _to_face_check_in(kiosk, qtbot)
    qtbot.waitUntil(lambda: face.retry_button.isVisible(), timeout=10_000)
    assert face.card_button.isVisible() and len(opened) == 1
    _click(qtbot, face.retry_button)
    assert not face.retry_button.isVisible() and not face.card_button.isVisible()  # a fresh check
    assert face.coaching.text() == face_words.LOOK_HERE
    qtbot.waitUntil(lambda: len(opened) == 2 and face.coaching.text() == face_words.COME_CLOSER, timeout=10_000)
    qtbot.waitUntil(lambda: face.retry_button.isVisible(), timeout=10_000)  # and it gives up kindly again
    assert kiosk.spoken[-1] == face_words.NO_FACE + face_words.GIVE_UP


def test_a_card_placed_on_the_first_screen_checks_in_and_two_taps_reach_the_first_question(kiosk, qtbot, devices):
    taps = []
    window = kiosk.window
    home = window.screens["home"]
    taps.append(home.service_buttons["subsidy"])
    _click(qtbot, taps[-1])
    intro = window.screens["service.subsidy"]
    assert "请把身份证放在读卡器上" in intro.next_step.text()
    assert "请把身份证放在读卡器上" in kiosk.spoken[-1]  # said too, for those who read little
    devices.simulated_reader.place_card()
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)
    assert kiosk.session.person.how == "card"
    taps.append(kiosk.checkin.welcome.continue_button)
    _click(qtbot, taps[-1])
    assert kiosk.navigator.current == "form" and kiosk.services.form.form.step.number == 1
    assert len(taps) == 2
    _click(qtbot, window.back_button)  # from the first question, back to the service's first screen
    assert kiosk.navigator.current == "service.subsidy" and intro.next_step.text() == "已登记：张*英"


def test_a_card_placed_while_the_face_is_checked_is_used(kiosk, qtbot, devices):
    face = _to_face_check_in(kiosk, qtbot, "subsidy")
    qtbot.waitUntil(lambda: face.preview._image is not None, timeout=10_000)
    devices.simulated_reader.place_card()
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)
    assert kiosk.session.person.how == "card"
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    assert kiosk.navigator.current == "form"


def test_a_card_on_the_reader_is_not_read_at_home_or_in_a_guide(kiosk, qtbot, devices):
    devices.simulated_reader.place_card()
    _click(qtbot, kiosk.window.screens["home"].service_buttons["guides"])
    qtbot.wait(1000)  # the reader polls every 0.3 s: it would have read the card by now
    assert kiosk.session.person is None and kiosk.navigator.current == "service.guides"


@pytest.mark.parametrize("failure", [OSError("VIDIOC_STREAMON: No such device"), CameraUnavailable("打不开摄像头 0")])
def test_a_camera_that_raises_on_open_leads_to_the_card_fallback(qapp, qtbot, monkeypatch, failure):
    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 200)
    simulator = CardReaderSimulator(present=False)
    simulator.plug()

    def broken_camera():
        raise failure

    devices = Devices(lambda: SerialCardReader(simulator.path), broken_camera, simulator)
    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker, devices=devices)
    states = []
    shell.checkin.device_state.connect(lambda device, state: states.append((device, state)))
    render(shell, "home", QSize(1920, 1080))
    try:
        _click(qtbot, shell.window.screens["home"].service_buttons["subsidy"])
        _click(qtbot, shell.window.screens["service.subsidy"].checkin_button)
        _click(qtbot, shell.checkin.choice.face_button)
        face = shell.checkin.face
        qtbot.waitUntil(lambda: face.card_button.isVisible(), timeout=5_000)
        assert face.coaching.text() == checkin_flow.CAMERA_BROKEN and speaker.said[-1] == checkin_flow.CAMERA_BROKEN
        assert ("camera", "failed") in states
        _click(qtbot, face.card_button)
        qtbot.waitUntil(lambda: shell.navigator.current == screens.WELCOME, timeout=10_000)
        assert shell.session.person.how == "card"
    finally:
        shell.checkin.shutdown()
        shell.window.close()
        devices.close()
