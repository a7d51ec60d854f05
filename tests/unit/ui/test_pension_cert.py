"""养老认证 by clicks with the demo camera: a card on the first screen, the villager walks up and does the
actions asked under the flash, and the evidence reaches the reference province, which records which
checks passed. A villager who does the wrong thing is told kindly, twice, then offered the volunteer,
who can attest by PIN."""

import cv2
import numpy as np
import pytest
import requests

from kiosk.app import face_checkin, face_words
from kiosk.app.devices import devices_from
from kiosk.config import DeviceConfig
from kiosk.identity.face.demo_camera import Performer
from kiosk.identity.face.frame_colour import NEUTRAL
from kiosk.ui.screens.checkin import ATTEST, FACE, WELCOME
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.voice.lines import text_of
from tests.unit.ui.test_query_and_answers import kiosk  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _click

ID_NUMBER = "410102195001012343"


@pytest.fixture
def kiosk_config(running):
    return running.config


@pytest.fixture
def devices():
    """The kiosk's own demo devices, as ``./dev run`` has them: the reader simulator, the demo camera's
    villager, and her face enrolled as the simulated card's holder."""
    made = devices_from(DeviceConfig())
    yield made
    made.close()


class Contrary(Performer):
    """A villager (or a recording) who does some other action than the one asked."""

    def pose(self, now, asked):
        from kiosk.identity.face.actions import Action

        others = [a for a in (Action.TURN_LEFT, Action.OPEN_MOUTH, Action.NOD) if a is not asked]
        return super().pose(now, others[0] if asked is not None else None)


def _card_on_the_first_screen(kiosk, qtbot, devices):  # noqa: F811 - the fixture, passed on
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["pension_cert"])
    devices.simulated_reader.place_card()  # no tap: the card on the reader is read on this screen
    qtbot.waitUntil(lambda: kiosk.navigator.current == WELCOME, timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    assert kiosk.navigator.current == FACE  # checked in by card: the live face is still needed


def test_the_whole_certification_with_the_demo_camera_reaches_the_province(kiosk, qtbot, devices, store, province):  # noqa: F811
    _card_on_the_first_screen(kiosk, qtbot, devices)
    face = kiosk.checkin.face
    lit, actions = set(), []

    def watch():
        lit.add(face.preview.frame_colour.getRgb()[:3])
        if face.picture.action and face.picture.action not in actions:
            actions.append(face.picture.action)
        return kiosk.navigator.current == FORM

    qtbot.waitUntil(watch, timeout=30_000)
    assert len(lit - {NEUTRAL}) >= 4  # the frame around the preview followed the flash
    assert 2 <= len(actions) <= 3  # each action coached with its moving picture
    assert kiosk.session.person.evidence.liveness["method"] == "live"
    _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)

    qtbot.waitUntil(lambda: bool(store.answers.unseen_for(ID_NUMBER)), timeout=20_000)
    [answer] = store.answers.unseen_for(ID_NUMBER)
    assert answer.lines[0].startswith("养老资格认证已通过")
    [recorded] = requests.get(province.url + "/v1/_sim/certifications", timeout=5).json()["certifications"]
    assert recorded["method"] == "live" and recorded["certified"]
    assert recorded["checks"] == {"actions": True, "flash": True}
    payload = province.province.conn.execute("SELECT payload FROM submissions").fetchone()[0]
    assert '"asked": ["' + '", "'.join(actions) + '"]' in payload  # the actions coached are those recorded
    uploaded = "SELECT data FROM attachments WHERE complete = 1"
    qtbot.waitUntil(lambda: bool(province.province.conn.execute(uploaded).fetchall()), timeout=20_000)
    [(photo,)] = province.province.conn.execute(uploaded).fetchall()
    image = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    assert max(image.shape[:2]) <= face_checkin.EVIDENCE_SIDE


def test_in_demo_mode_a_face_check_in_then_the_certification_with_no_second_check(kiosk, qtbot, province):  # noqa: F811
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["pension_cert"])
    _click(qtbot, window.screens["service.pension_cert"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.face_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == WELCOME, timeout=30_000)
    assert kiosk.session.person.how == "face" and kiosk.checkin.welcome.name.text() == "您好，张*英"
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    assert kiosk.navigator.current == FORM  # the face proven live at check-in serves the certification
    _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    certified = lambda: requests.get(province.url + "/v1/_sim/certifications", timeout=5).json()["certifications"]  # noqa: E731
    qtbot.waitUntil(lambda: bool(certified()), timeout=20_000)
    assert certified()[0]["certified"] and certified()[0]["method"] == "live"


def test_a_wrong_sequence_fails_kindly_twice_then_a_volunteer_attests(
    kiosk,  # noqa: F811
    qtbot,
    devices,
    store,
    province,
    monkeypatch,
):
    monkeypatch.setattr(face_checkin, "RETRY_PAUSE_S", 0.5)
    opened = devices.open_camera
    devices.open_camera = lambda: _contrary(opened())
    store.volunteers.add("王芳", "246802")
    said = []
    kiosk.window.speaker.say = lambda spoken: said.append(text_of(spoken))
    _card_on_the_first_screen(kiosk, qtbot, devices)
    face = kiosk.checkin.face
    qtbot.waitUntil(lambda: face.attest_button.isVisible(), timeout=40_000)
    failures = [line for line in said if line.startswith(face_words.WRONG_ACTION)]
    assert failures == [face_words.WRONG_ACTION + face_words.ONLY_THAT_ACTION,
                        face_words.WRONG_ACTION + face_words.ASK_VOLUNTEER]  # fmt: skip
    assert face.volunteer_button.isVisible() and not face.card_button.isVisible()  # the card is in hand
    assert kiosk.session.person.evidence is None and kiosk.navigator.current == FACE

    _click(qtbot, face.attest_button)
    assert kiosk.navigator.current == ATTEST
    pad = kiosk.checkin.attest_screen
    for key in "135791":
        _click(qtbot, pad.keys[key])
    _click(qtbot, pad.ok)
    qtbot.waitUntil(lambda: "PIN 不对" in pad.message.text(), timeout=10_000)
    for key in "246802":
        _click(qtbot, pad.keys[key])
    _click(qtbot, pad.ok)
    qtbot.waitUntil(lambda: kiosk.navigator.current == FORM, timeout=10_000)
    assert kiosk.window.operator_banner.text() == "王芳代张*英"  # helper mode: who vouched, for whom
    _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)

    qtbot.waitUntil(lambda: bool(store.answers.unseen_for(ID_NUMBER)), timeout=20_000)
    [recorded] = requests.get(province.url + "/v1/_sim/certifications", timeout=5).json()["certifications"]
    assert recorded == recorded | {"method": "volunteer", "checks": {"volunteer": True}, "certified": True}
    payload = province.province.conn.execute("SELECT payload FROM submissions").fetchone()[0]
    assert '"volunteer": "王芳"' in payload and payload.count('"failure": "wrong_action"') == 2
    assert store.answers.unseen_for(ID_NUMBER)[0].lines[-1] == "由服务站志愿者现场确认"
    events = [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]
    assert events.index("liveness_attested") < events.index("assisted")


def _contrary(camera):
    camera._performer = Contrary()
    return camera
