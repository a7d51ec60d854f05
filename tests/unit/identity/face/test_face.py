"""Detection, matching and the capture loop on real photos that scikit-image ships, with the real models."""

import cv2
import numpy as np
import skimage.data

from kiosk.identity.face.camera import CaptureLoop, FileCamera, mirrored
from kiosk.identity.face.matching import identify, verify


def _transformed(image):
    """The same person seen again: smaller, tilted, darker, mirrored, JPEG-compressed, at 640x480."""
    small = cv2.resize(image, None, fx=0.8, fy=0.8)
    tilted = cv2.warpAffine(small, cv2.getRotationMatrix2D((200, 200), 8, 1.0), (small.shape[1], small.shape[0]))
    darker = np.clip(tilted * 0.8 + 20, 0, 255).astype(np.uint8)[:, ::-1]
    canvas = np.full((480, 640, 3), 90, np.uint8)
    canvas[: darker.shape[0], : darker.shape[1]] = darker[:480, :640]
    _ok, jpeg = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def _other_person():
    face = (skimage.data.lfw_subset()[0] * 255).astype(np.uint8)
    big = cv2.resize(face, (200, 200), interpolation=cv2.INTER_CUBIC)
    canvas = np.full((480, 640), 120, np.uint8)
    canvas[140:340, 220:420] = big
    return cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR)


def test_detects_the_face_and_its_landmarks(analyzer, astronaut):
    face = analyzer.detect(astronaut)
    left, top, right, bottom = face.box
    assert 150 < left < 200 and 50 < top < 100 and 80 < face.width < 130
    assert face.landmarks.shape == (68, 2)
    assert left <= face.landmarks[30][0] <= right and top <= face.landmarks[30][1] <= bottom  # nose tip


def test_no_face_in_a_picture_without_one(analyzer):
    coffee = cv2.cvtColor(skimage.data.coffee(), cv2.COLOR_RGB2BGR)
    assert analyzer.detect(coffee) is None


def test_same_person_matches_and_another_does_not(analyzer, astronaut):
    reference = analyzer.embed(astronaut, analyzer.detect(astronaut))
    again = _transformed(astronaut)
    live = analyzer.embed(again, analyzer.detect(again))
    assert reference.shape == (128,)
    same = verify(live, reference)
    assert same.matched and same.distance < 0.4
    other_frame = _other_person()
    other_face = analyzer.detect(other_frame)
    assert other_face is not None
    other = verify(analyzer.embed(other_frame, other_face), reference)
    assert not other.matched and other.distance > 0.6
    templates = {"astronaut": reference, "other": analyzer.embed(other_frame, other_face)}
    assert identify(live, templates) == "astronaut"
    assert identify(live, {"other": templates["other"]}) is None


def test_capture_loop_runs_the_analysis_off_the_calling_thread(analyzer, astronaut):
    import queue
    import threading

    seen = queue.Queue()
    loop = CaptureLoop(
        lambda: FileCamera([astronaut, _other_person()], hold=2),
        lambda frame, face, _read_at: seen.put((threading.current_thread().name, frame.shape, face is not None)),
        analyzer,
    )
    loop.start()
    first = [seen.get(timeout=10) for _ in range(4)]
    loop.stop()
    assert {name for name, _, _ in first} == {"camera"}
    assert [found for _, _, found in first] == [True, True, True, True]
    assert mirrored(astronaut)[0, 0].tolist() == astronaut[0, -1].tolist()
