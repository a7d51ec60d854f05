"""养老认证 by clicks: card check-in, then the live face with liveness, evidence attached, result back."""

import dataclasses

import cv2
import numpy as np
import pytest

from kiosk.app import face_checkin
from kiosk.identity.face.liveness import Challenge
from kiosk.ui.screens.checkin import FACE
from kiosk.ui.screens.form import FORM, RECEIPT
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_query_and_answers import kiosk  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _click

ID_NUMBER = "410102195001012343"


@pytest.fixture
def kiosk_config(running, monkeypatch):
    """The camera here shows a photo; liveness itself is tested in tests/unit/app. A turn challenge with
    no movement required lets this test follow the wiring from the face to the province."""
    monkeypatch.setattr(face_checkin, "pick_challenge", lambda rng: Challenge.TURN_LEFT)
    face = dataclasses.replace(running.config.face, turn=0.0, challenge_frames=100)
    return dataclasses.replace(running.config, face=face)


def test_certification_sends_a_small_live_face_and_liveness_and_the_result_comes_back(
    kiosk,  # noqa: F811
    qtbot,
    store,
    province,
):
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["pension_cert"])
    _click(qtbot, window.screens["service.pension_cert"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.card_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == "checkin.done", timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    _click(qtbot, window.screens["service.pension_cert"].start_button)
    assert kiosk.navigator.current == FACE  # checked in by card: the live face is still needed
    qtbot.waitUntil(lambda: kiosk.navigator.current == FORM, timeout=30_000)
    form = kiosk.services.form
    assert kiosk.session.person.evidence is not None
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)

    qtbot.waitUntil(lambda: bool(store.answers.unseen_for(ID_NUMBER)), timeout=20_000)
    [answer] = store.answers.unseen_for(ID_NUMBER)
    assert answer.lines[0].startswith("养老资格认证已通过")
    payload = province.province.conn.execute("SELECT payload FROM submissions").fetchone()[0]
    assert '"liveness": {"passed": true, "challenge": "turn_left"' in payload
    uploaded = "SELECT data FROM attachments WHERE complete = 1"
    qtbot.waitUntil(lambda: bool(province.province.conn.execute(uploaded).fetchall()), timeout=20_000)
    [(photo,)] = province.province.conn.execute(uploaded).fetchall()
    image = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    assert max(image.shape[:2]) <= face_checkin.EVIDENCE_SIDE
