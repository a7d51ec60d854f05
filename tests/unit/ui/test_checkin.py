"""Check-in by clicks, with the real serial driver on the pty simulator and the file camera."""

import cv2
import pytest
import skimage.data
from PySide6.QtCore import QSize, Qt

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


@pytest.fixture
def devices():
    simulator = CardReaderSimulator(present=False)
    simulator.plug()
    photo = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
    made = Devices(lambda: SerialCardReader(simulator.path), lambda: FileCamera([photo], fps=60), simulator)
    yield made
    made.close()


@pytest.fixture
def kiosk(qapp, devices, monkeypatch):
    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 200)
    speaker = RecordingSpeaker()
    config = Config(face=FaceConfig(challenge_frames=20))  # a photo gives up quickly
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
    intro = window.screens["service.subsidy"]
    assert kiosk.navigator.current == "service.subsidy"
    assert intro.next_step.text() == "已登记：张*英" and not intro.checkin_button.isVisible()
    _click(qtbot, window.home_button)
    assert kiosk.session.person is None
    assert welcome.name.text() == "" and welcome.id_line.text() == ""
    assert intro.checkin_button.isVisibleTo(intro)


def test_a_photo_at_the_camera_fails_kindly_and_the_card_is_offered(kiosk, qtbot):
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["social_security"])
    _click(qtbot, window.screens["service.social_security"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.face_button)
    face = kiosk.checkin.face
    qtbot.waitUntil(lambda: face.preview._image is not None, timeout=10_000)
    qtbot.waitUntil(lambda: face.card_button.isVisible(), timeout=20_000)
    assert face.coaching.text().startswith("没关系")
    assert kiosk.spoken[-1].startswith("没关系")
    assert kiosk.session.person is None
    _click(qtbot, face.card_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == screens.WELCOME, timeout=10_000)
    assert kiosk.session.person.how == "card"


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
