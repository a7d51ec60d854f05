"""Whole liveness checks through the real detector: the demo camera's villager, a replay, photos."""

import dataclasses
import json
import random
from importlib.resources import files

import cv2
import jsonschema
import numpy as np
import pytest

from kiosk.config import FaceConfig
from kiosk.identity.face.actions import Action
from kiosk.identity.face.camera import CameraUnavailable, FileCamera
from kiosk.identity.face.demo_camera import DemoLiveCamera, LitCamera, Optics, face_mask
from kiosk.identity.face.session import LivenessFailure, LivenessSession, LivenessState, volunteer_attestation
from kiosk.paths import assets_dir

FPS = 15
START = 1000.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def demo_face(analyzer):
    photo = cv2.imread(str(assets_dir() / "demo" / "face.jpg"))
    return photo, analyzer.detect(photo).landmarks


def _run(session, camera, analyzer, clock, seconds=20.0, frames=None):
    """Frames at 15 a second until the decision; ``frames`` collects what the camera showed."""
    asked = []
    while session.state in (LivenessState.WAITING, LivenessState.CHECKING) and clock.now < START + seconds:
        frame = camera.read()
        if frames is not None:
            frames.append(frame)
        face = analyzer.detect(frame)
        session.observe(clock.now, frame, face.landmarks if face else None)
        if session.next_challenge() and session.next_challenge() not in asked:
            asked.append(session.next_challenge())
        clock.now += 1 / FPS
    return asked


def _live(demo_face, seed, config=None):
    clock = Clock()
    camera = DemoLiveCamera(demo_face[0], demo_face[1], fps=0, clock=clock, seed=seed)
    session = LivenessSession(config or FaceConfig(), random.Random(seed))
    camera.follow(session)
    return session, camera, clock


def _contract_schema(name):
    contract = json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))
    return {"$ref": f"#/components/schemas/{name}", "components": contract["components"]}


def test_a_live_villager_passes_within_eight_seconds_and_the_evidence_says_how(analyzer):
    clock = Clock()
    camera = DemoLiveCamera.of_photo(assets_dir() / "demo" / "face.jpg", analyzer, fps=0, clock=clock, seed=3)
    session = LivenessSession(FaceConfig(), random.Random(3))
    camera.follow(session)
    assert session.next_challenge() is None and session.screen_colour(clock.now) is None
    asked = _run(session, camera, analyzer, clock)
    assert session.state is LivenessState.PASSED, session.result()
    assert clock.now - START <= 8.0
    evidence = session.result()
    jsonschema.validate(evidence, _contract_schema("LivenessEvidence"))
    assert evidence["method"] == "live" and evidence["passed"] and evidence["failure"] is None
    assert evidence["checks"] == {"actions": True, "flash": True}
    assert evidence["actions"]["asked"] == [a.value for a in asked] and 2 <= len(asked) <= 3
    seen = evidence["actions"]["seen_at_s"]
    assert len(seen) == len(asked) and seen == sorted(seen) and seen[0] > 0.5
    assert evidence["actions"]["time_limits_s"] == [session._sequence.time_limit_s(a) for a in asked]
    flash = evidence["flash"]
    assert flash["colours"] == session.flash.hex() and len(flash["colours"]) == FaceConfig().flash_colours
    assert flash["score"] >= flash["min_score"] and flash["strength"] >= flash["min_strength"]
    assert flash["lag_s"] == pytest.approx(Optics().lag_s, abs=0.05)


def test_the_thresholds_come_from_the_configuration(analyzer, demo_face):
    strict = dataclasses.replace(FaceConfig(), flash_min_score=0.99)
    session, camera, clock = _live(demo_face, seed=3, config=strict)
    _run(session, camera, analyzer, clock)
    assert session.state is LivenessState.FAILED and session.failure is LivenessFailure.FLASH_NOT_FOLLOWED
    assert session.result()["flash"]["min_score"] == 0.99


class RightActionsWrongDay:
    """A recording whose actions happen to be today's, but whose face reflects another day's flash."""

    def __init__(self, today: LivenessSession, earlier: LivenessSession) -> None:
        self._today, self._earlier = today, earlier

    def next_challenge(self) -> Action | None:
        return self._today.next_challenge()

    def screen_colour(self, now: float):
        return self._earlier.flash.colour_at(now - START)


def test_a_recording_with_the_right_actions_fails_on_the_flash(analyzer, demo_face):
    session, camera, clock = _live(demo_face, seed=3)
    camera.follow(RightActionsWrongDay(session, LivenessSession(FaceConfig(), random.Random(99))))
    _run(session, camera, analyzer, clock)
    assert session.state is LivenessState.FAILED and session.failure is LivenessFailure.FLASH_NOT_FOLLOWED
    assert session.result()["checks"]["flash"] is False


def test_a_replay_of_an_earlier_certification_fails(analyzer, demo_face):
    earlier, camera, clock = _live(demo_face, seed=4)
    recording = []
    _run(earlier, camera, analyzer, clock, frames=recording)
    assert earlier.state is LivenessState.PASSED
    today = LivenessSession(FaceConfig(), random.Random(5))
    assert today.flash.colours != earlier.flash.colours
    clock = Clock()
    _run(today, FileCamera(recording + recording[-1:] * 200), analyzer, clock)
    assert today.state is LivenessState.FAILED
    assert today.result()["checks"] == {"actions": False, "flash": False}


def test_the_demo_camera_needs_a_face(analyzer, tmp_path):
    coffee = tmp_path / "coffee.png"
    cv2.imwrite(str(coffee), np.full((480, 640, 3), 90, np.uint8))
    with pytest.raises(CameraUnavailable):
        DemoLiveCamera.of_photo(coffee, analyzer)


def test_a_photo_on_a_screen_fails(analyzer, demo_face):
    session = LivenessSession(FaceConfig(), random.Random(6))
    _run(session, FileCamera([demo_face[0]]), analyzer, Clock())
    assert session.state is LivenessState.FAILED and session.failure is LivenessFailure.FLASH_NOT_FOLLOWED


class PrintedPhoto:
    """A paper photo held up: it reflects the flash as skin does, and does nothing else."""

    def __init__(self, photo, landmarks, session, clock) -> None:
        self._photo, self._session, self._clock = photo, session, clock
        self._light = LitCamera(Optics(), face_mask(photo.shape, landmarks), np.random.default_rng(0))

    def read(self):
        now = self._clock()
        shown = self._session.screen_colour(now - Optics().lag_s)
        return self._light.record(now, self._photo, [(shown, Optics().reflection)])


def test_a_printed_photo_follows_the_flash_but_does_no_action(analyzer, demo_face):
    session, clock = LivenessSession(FaceConfig(), random.Random(7)), Clock()
    _run(session, PrintedPhoto(*demo_face, session, clock), analyzer, clock)
    assert session.state is LivenessState.FAILED and session.failure is LivenessFailure.ACTION_NOT_SEEN
    evidence = session.result()
    assert evidence["checks"] == {"actions": False, "flash": True}
    assert evidence["actions"]["seen_at_s"] == [] and len(evidence["actions"]["asked"]) == 1


def test_a_volunteers_attestation_is_recorded_as_such_with_the_failed_tries():
    failed = LivenessSession(FaceConfig(), random.Random(8)).result()
    evidence = volunteer_attestation(" 王芳 ", [failed])
    jsonschema.validate(evidence, _contract_schema("LivenessEvidence"))
    assert evidence["method"] == "volunteer" and evidence["volunteer"] == "王芳"
    assert evidence["checks"] == {"volunteer": True} and evidence["attempts"] == [failed]
    with pytest.raises(ValueError):
        volunteer_attestation("  ", [])
