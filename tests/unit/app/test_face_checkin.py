"""Face check-in decisions with the real models on a real photo; liveness driven by landmarks."""

import random

import numpy as np
import pytest

from kiosk.app.face_checkin import MAX_TRIES, FaceCheckin
from kiosk.app.face_words import GIVE_UP
from kiosk.identity.face.analyzer import Face
from kiosk.identity.face.liveness import Challenge
from kiosk.store.face_templates import Enrolled
from tests.unit.identity.face.test_face import _other_person, _with_eyes


@pytest.fixture
def frame(astronaut):
    return astronaut


def _enrolled(analyzer, image, name, id_number):
    vector = analyzer.embed(image, analyzer.detect(image))
    return Enrolled(f"hash-{id_number}", name, id_number, vector.astype(np.float32).tobytes())


class AlwaysBlink(random.Random):
    """The challenge is random in use; these tests blink, so they ask for blinks."""

    def choice(self, seq):
        return Challenge.BLINK


def _blink_rng():
    return AlwaysBlink()


def _blink_frames(analyzer, frame):
    face = analyzer.detect(frame)
    closed = Face(face.box, _with_eyes(face.landmarks, 0.3))
    return [face] * 3 + [closed] * 2 + [face] * 2


def test_a_live_enrolled_villager_is_recognised_among_others(analyzer, frame):
    enrolled = [_enrolled(analyzer, frame, "张秀英", "410102195001012343"),
                _enrolled(analyzer, _other_person(), "李四", "110101199003074477")]  # fmt: skip
    seen = []
    checkin = FaceCheckin(analyzer, lambda: enrolled, seen.append, rng=_blink_rng())
    for face in _blink_frames(analyzer, frame):
        checkin.on_frame(frame, face)
    assert [p.state for p in seen] == ["challenge", "matched"]
    assert seen[-1].enrolled.name == "张秀英"


def test_a_stranger_is_not_recognised_and_after_three_tries_is_offered_the_card(analyzer, frame):
    stranger_only = [_enrolled(analyzer, _other_person(), "李四", "110101199003074477")]
    seen = []
    checkin = FaceCheckin(analyzer, lambda: stranger_only, seen.append, rng=_blink_rng())
    for _ in range(MAX_TRIES):
        checkin.on_frame(frame, None)
        for face in _blink_frames(analyzer, frame):
            checkin.on_frame(frame, face)
    assert seen[-1].state == "gave_up" and seen[-1].words == GIVE_UP
    assert "matched" not in [p.state for p in seen]
    assert checkin.done


def test_a_photo_held_up_never_gets_past_the_challenge(analyzer, frame):
    enrolled = [_enrolled(analyzer, frame, "张秀英", "410102195001012343")]
    seen = []
    checkin = FaceCheckin(analyzer, lambda: enrolled, seen.append, rng=random.Random(1))
    still = analyzer.detect(frame)
    for _ in range(MAX_TRIES * 160):
        checkin.on_frame(frame, still)
    assert seen[-1].state == "gave_up"
    assert "matched" not in [p.state for p in seen]


def test_a_face_too_far_away_is_asked_to_come_closer(analyzer, frame):
    seen = []
    checkin = FaceCheckin(analyzer, list, seen.append)
    canvas = np.full((480, 640, 3), 90, np.uint8)
    canvas[:480, :512] = frame[:480]  # the same face, but a smaller share of a wider frame
    face = analyzer.detect(canvas)
    checkin.on_frame(canvas, face)
    assert seen[-1].words == "请再靠近一点。"
