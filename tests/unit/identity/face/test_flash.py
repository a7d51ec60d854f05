"""The screen flash: calm colours within the photosensitivity limits, and a real photo lit by them."""

import random

import cv2
import numpy as np
import pytest

from kiosk.config import FaceConfig
from kiosk.identity.face.demo_camera import LitCamera, Optics, face_mask
from kiosk.identity.face.flash import (
    PALETTE,
    FlashPlan,
    flash_report,
    follow_score,
    plan_flash,
    relative_luminance,
    screen_chroma,
    skin_chroma,
    skin_region,
)
from tests.helpers.liveness_attempts import flash_attempt

CONFIG = FaceConfig()


@pytest.fixture(scope="module")
def face(analyzer, astronaut):
    """The astronaut's head, her landmarks, and where the screen's light falls. Cropped close (the
    face fills most of the picture, so white balance works hardest against the flash) and small,
    so hundreds of attempts run in seconds."""
    photo = np.ascontiguousarray(astronaut[30:210, 140:320])
    landmarks = analyzer.detect(photo).landmarks
    return photo, landmarks, face_mask(photo.shape, landmarks)


def test_every_plan_is_within_the_photosensitivity_limits():
    luminances = [relative_luminance(colour) for colour in PALETTE]
    assert max(luminances) - min(luminances) < 0.01  # one lightness: no change is a flash at all
    assert all(r / (r + g + b) < 0.5 for r, g, b in PALETTE)  # nothing near a saturated red (0.8)
    for seed in range(50):
        plan = plan_flash(random.Random(seed), CONFIG.flash_colours, CONFIG.flash_segment_s)
        report = flash_report(plan)
        assert report["within_limits"] and report["changes_per_s"] <= 3
        assert all(a != b for a, b in zip(plan.colours, plan.colours[1:], strict=False))
    assert not flash_report(FlashPlan((0, 1, 2, 3), 0.3))["within_limits"]  # 3.3 changes a second


def test_plans_are_random_and_the_colours_fade_into_each_other():
    plans = {plan_flash(random.Random(seed), 8, 0.4).colours for seed in range(100)}
    assert len(plans) == 100
    plan = FlashPlan((0, 3, 1, 4), 0.4)
    assert plan.colour_at(0.2) == PALETTE[0] and plan.colour_at(0.55) == PALETTE[3]
    halfway = np.array(plan.colour_at(0.45))
    assert np.allclose(halfway, (np.array(PALETTE[0]) + PALETTE[3]) / 2, atol=1)
    assert plan.colour_at(-0.01) is None and plan.colour_at(1.6) is None
    assert plan.hex()[0] == "#ee9b92"


def test_screen_chroma_is_opencvs_ycrcb():
    pixels = np.array([PALETTE], np.uint8)
    ycrcb = cv2.cvtColor(pixels, cv2.COLOR_RGB2YCrCb)[0].astype(float)
    expected = (ycrcb[:, 1:][:, ::-1] * (1, 1) - 128)[:, ::-1] / ycrcb[:, :1]
    assert np.allclose(screen_chroma(np.array(PALETTE)), expected, atol=0.01)


def test_the_skin_region_is_between_the_eyes_and_the_mouth_and_skin_coloured(face):
    photo, landmarks, _ = face
    left, top, right, bottom = skin_region(landmarks)
    assert landmarks[36][0] < left < right < landmarks[45][0]
    assert landmarks[41][1] < top < bottom < landmarks[51][1]
    cr, cb = skin_chroma(photo, landmarks)
    assert cr > 0.05 and cb < 0  # skin: redder and less blue than grey
    assert skin_chroma(photo, landmarks + 1000) is None  # off the frame: nothing to measure


def _lit(face, plan, lights_at, optics, seed=0, fps=15.0):
    """Frames of the photo lit over time, measured as the session measures them."""
    photo, landmarks, mask = face
    camera = LitCamera(optics, mask, np.random.default_rng(seed))
    times, chroma = [], []
    for t in np.arange(0, plan.duration_s, 1 / fps):
        found = skin_chroma(camera.record(t, photo, lights_at(t)), landmarks)
        times.append(t)
        chroma.append(found)
    return follow_score(times, chroma, plan, CONFIG.flash_max_lag_s)


TODAY = plan_flash(random.Random(1), 8, 0.4)
EARLIER = plan_flash(random.Random(2), 8, 0.4)


def _passes(score):
    return score.score >= CONFIG.flash_min_score and score.strength >= CONFIG.flash_min_strength


@pytest.mark.parametrize("white_balance_s", [0.0, 0.5, 2.0])
def test_a_live_face_follows_with_its_lag_whatever_the_white_balance(face, white_balance_s):
    optics = Optics(reflection=0.08, lag_s=0.2, noise=4.0, white_balance_s=white_balance_s)
    score = _lit(face, TODAY, lambda t: [(TODAY.colour_at(t - optics.lag_s), optics.reflection)], optics)
    assert _passes(score) and score.score > 0.8
    assert score.lag_s == pytest.approx(0.2, abs=1 / 30)


def test_a_replay_follows_its_own_day_and_a_photo_on_a_screen_follows_nothing(face):
    optics = Optics(reflection=0.12, lag_s=0.15, noise=3.0)
    glint = 0.05 * optics.reflection
    replay = _lit(
        face,
        TODAY,
        lambda t: [(EARLIER.colour_at(t - 0.15), optics.reflection), (TODAY.colour_at(t - 0.15), glint)],
        optics,
    )
    assert not _passes(replay) and replay.score < CONFIG.flash_min_score
    assert _passes(follow_score_of(face, EARLIER, optics))  # the same recording on its own day did follow
    photo = _lit(face, TODAY, lambda t: [(TODAY.colour_at(t - 0.15), glint)], optics)
    assert not _passes(photo) and photo.strength < CONFIG.flash_min_strength
    dark = _lit(face, TODAY, lambda t: [], optics)
    assert not _passes(dark)


def follow_score_of(face, plan, optics):
    return _lit(face, plan, lambda t: [(plan.colour_at(t - 0.15), optics.reflection)], optics)


def test_too_few_frames_give_no_score(face):
    few = follow_score([0.5, 0.6, 0.7], [(0.1, -0.1)] * 3, TODAY, 0.4)
    assert few.score == 0 and few.frames == 3


ATTEMPTS = {"live": 150, "replay": 150, "photo": 100, "printed": 30}


def test_false_accept_and_false_reject_over_generated_attempts(face):
    """Fixed seeds; rooms, cameras, lags and glints drawn as liveness_attempts states."""
    photo, landmarks, mask = face
    passed = {
        kind: sum(_passes(flash_attempt(kind, seed, photo, landmarks, mask, CONFIG)) for seed in range(count)) / count
        for kind, count in ATTEMPTS.items()
    }
    print(
        f"\nflash: false reject {1 - passed['live']:.1%} of {ATTEMPTS['live']}, false accept: replay "
        f"{passed['replay']:.1%} of {ATTEMPTS['replay']}, photo on a screen {passed['photo']:.1%} of "
        f"{ATTEMPTS['photo']}; a printed photo reflects like skin: follows {passed['printed']:.0%}"
    )
    assert 1 - passed["live"] <= 0.02
    assert passed["replay"] <= 0.01
    assert passed["photo"] <= 0.01
    assert passed["printed"] >= 0.9  # what the flash cannot tell: the actions stop a printed photo
