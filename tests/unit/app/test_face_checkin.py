"""Face check-in decisions with the real models: the demo camera's villager (who walks up, acts and is
lit by the flash), a still photo, strangers, and faces never found well enough. Frame times are the
camera's own clock, so nothing here waits."""

import random

import cv2
import numpy as np
import pytest

from kiosk.app import face_words
from kiosk.app.face_checkin import MAX_TRIES, RETRY_PAUSE_S, FaceCheckin
from kiosk.config import FaceConfig
from kiosk.identity.face.camera import FileCamera
from kiosk.identity.face.demo_camera import Approach, DemoLiveCamera
from kiosk.paths import assets_dir
from kiosk.store.face_templates import Enrolled
from tests.unit.identity.face.test_face import _other_person

FPS = 15


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def demo(analyzer):
    photo = cv2.imread(str(assets_dir() / "demo" / "face.jpg"))
    return photo, analyzer.detect(photo).landmarks


def _enrolled(analyzer, image, name, id_number):
    vector = analyzer.embed(image, analyzer.detect(image))
    return Enrolled(f"hash-{id_number}", name, id_number, vector.astype(np.float32).tobytes())


def _run(checkin, camera, analyzer, clock, seconds=60.0):
    """Frames at 15 a second until the check-in is done; what it told the screen, in order."""
    seen = []
    checkin._on_progress = seen.append
    camera.follow(checkin)  # the check-in is the scene: the demo villager does what it asks
    start = clock.now
    while not checkin.done and clock.now < start + seconds:
        frame = camera.read()
        checkin.on_frame(clock.now, frame, analyzer.detect(frame))
        clock.now += 1 / FPS
    return seen


def _villager(demo, clock, seed=1):
    return DemoLiveCamera(*demo, fps=0, clock=clock, seed=seed, approach=Approach())


def test_a_live_enrolled_villager_walks_up_does_the_actions_and_is_recognised_among_others(analyzer, demo):
    clock = Clock()
    enrolled = [_enrolled(analyzer, demo[0], "张秀英", "410102195001012343"),
                _enrolled(analyzer, _other_person(), "李四", "110101199003074477")]  # fmt: skip
    checkin = FaceCheckin(analyzer, lambda: enrolled, None, FaceConfig(), random.Random(4))
    seen = _run(checkin, _villager(demo, clock), analyzer, clock)
    said = [p.words for p in seen]
    assert said[0] == face_words.COME_CLOSER  # she starts too far away
    assert face_words.HOLD_STILL in said
    asked = [p.action for p in seen if p.action]
    assert seen[-1].state == "matched" and seen[-1].enrolled.name == "张秀英"
    evidence = seen[-1].evidence
    assert evidence.liveness["passed"] and evidence.liveness["checks"] == {"actions": True, "flash": True}
    assert evidence.liveness["actions"]["asked"] == list(dict.fromkeys(asked))  # coached, then recorded
    assert evidence.jpeg.startswith(b"\xff\xd8")


def test_a_stranger_passes_liveness_but_is_not_recognised_and_is_offered_the_card(analyzer, demo):
    clock = Clock()
    strangers = [_enrolled(analyzer, _other_person(), "李四", "110101199003074477")]
    checkin = FaceCheckin(analyzer, lambda: strangers, None, FaceConfig(), random.Random(5))
    seen = _run(checkin, _villager(demo, clock), analyzer, clock)
    kinds = [p.state for p in seen if p.state in ("retry", "gave_up")]
    assert kinds == ["retry", "gave_up"] and checkin.tries == MAX_TRIES
    assert seen[-1].words == (face_words.NOT_RECOGNISED, face_words.GIVE_UP)
    assert "matched" not in [p.state for p in seen]


def test_a_still_photo_fails_kindly_twice_and_the_failed_checks_are_kept_for_an_attestation(analyzer, demo):
    clock = Clock()
    known = Enrolled("checked-in", "张秀英", "410102195001012343", b"")
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(), random.Random(6), known=known)
    seen = _run(checkin, FileCamera([cv2.resize(demo[0], None, fx=1.5, fy=1.5)[60:540, 100:740]]), analyzer, clock)
    retry, gave_up = [p for p in seen if p.state in ("retry", "gave_up")]
    assert retry.words == (face_words.FLASH_NOT_FOLLOWED, face_words.FACE_THE_SCREEN)
    assert gave_up.words == (face_words.FLASH_NOT_FOLLOWED, face_words.ASK_VOLUNTEER)  # the card is in hand
    assert [a["failure"] for a in gave_up.attempts] == ["flash_not_followed"] * 2
    assert gave_up.photo.startswith(b"\xff\xd8")  # her face, for the volunteer's attestation
    assert len({tuple(a["flash"]["colours"]) for a in gave_up.attempts}) == 2  # each try its own flash


def test_the_next_try_waits_for_the_kind_words_to_be_heard(analyzer, demo):
    clock = Clock()
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(), random.Random(6))
    photo = cv2.resize(demo[0], None, fx=1.5, fy=1.5)[60:540, 100:740]
    times = []
    checkin._on_progress = lambda p: times.append((p.state, clock.now))
    camera = FileCamera([photo])
    while not checkin.done:
        frame = camera.read()
        checkin.on_frame(clock.now, frame, analyzer.detect(frame))
        clock.now += 1 / FPS
    retry_at = next(t for state, t in times if state == "retry")
    next_check = next(t for state, t in times if state == "checking" and t > retry_at)
    assert next_check - retry_at >= RETRY_PAUSE_S


@pytest.mark.parametrize(
    ("placed", "advice"),
    [((260, 130), face_words.COME_CLOSER), ((400, 40), None)],
)
def test_a_face_never_found_well_enough_gives_up_kindly_after_find_face_s(analyzer, placed, advice):
    from tests.unit.ui.test_checkin import portrait

    clock = Clock()
    picture = portrait(*placed)
    if advice is None:  # well placed in size, but off to one side of the oval
        picture, advice = np.roll(picture, 180, axis=1), face_words.TO_THE_MIDDLE
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(find_face_s=6.0), random.Random(7))
    seen = _run(checkin, FileCamera([picture]), analyzer, clock)
    assert [p.words for p in seen] == [advice, (face_words.NO_FACE, face_words.GIVE_UP)]
    assert 6.0 <= clock.now - 1000.0 <= 6.0 + 2 / FPS
    assert seen[-1].photo is None  # no face was seen well enough to keep


def test_the_whole_check_in_gives_up_at_its_time_limit_even_in_the_middle_of_a_check(analyzer, demo):
    clock = Clock()
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(time_limit_s=3.0), random.Random(8))
    seen = _run(checkin, _villager(demo, clock), analyzer, clock)
    assert seen[-2].state == "checking"  # she was still doing what was asked
    assert seen[-1].state == "gave_up" and seen[-1].words == face_words.GIVE_UP
    assert 3.0 <= clock.now - 1000.0 <= 3.0 + 2 / FPS


def test_proving_presence_takes_the_person_already_checked_in(analyzer, demo):
    clock = Clock()
    known = Enrolled("checked-in", "张秀英", "410102195001012343", b"")
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(), random.Random(9), known=known)
    seen = _run(checkin, _villager(demo, clock, seed=2), analyzer, clock)
    assert seen[-1].state == "matched" and seen[-1].enrolled is known
    assert seen[-1].evidence.liveness["method"] == "live"
