"""Face timings on this machine's CPU at 640x480: the live-preview path, one match, and liveness.

    python bench/face.py [--frames 60] [--sessions 12] [--attempts 300]

Preview path = Haar detection on the downscaled frame + 68 landmarks (what runs on every
camera frame); a match = detection + landmarks + the 128-d embedding + the distance. The
frames are scikit-image's astronaut placed at different spots of a 640x480 frame. Baseline in
the same run: OpenCV's own Haar detection at full resolution, as a naive preview would do it.
Targets (issue 4): >= 15 frames/s preview, <= 300 ms per match.

Liveness (issue 15):
- the landmark measures on real photos (the astronaut and scikit-image's 100 small LFW faces,
  each seen 10 times through camera-like changes, and tilted as a photo held by hand): how much
  each jitters and how far tilting moves it, against its threshold. This is the data behind
  asking for an open mouth and a nod as well as blinks and turns;
- time from the face in the oval to the decision for the demo camera's cooperative villager
  (reaction 0.8 s to each action), at 15 frames/s, with the real detector (target <= 8 s), and
  whether the CPU keeps up with 15 frames/s doing it;
- the same through the kiosk's real wiring (``--kiosk N`` checks): the face screen offscreen, the
  camera loop on its thread with the demo camera in real time, the face check-in, the lit frame
  painted from the flash; from the first "hold still" (the face well in the oval) to the check
  handing back the proven face, and the frames per second the camera loop managed meanwhile;
- the flash analysis' cost per 640x480 frame (target <= 5 ms): the skin region's chroma every
  frame, plus the final fit shared out over the frames;
- false accept and false reject rates on generated attempts (tests/helpers/liveness_attempts.py),
  with seeds the tests do not use.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import skimage.data

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.config import FaceConfig
from kiosk.identity.face.actions import ActionThresholds, FaceTrack, measures
from kiosk.identity.face.analyzer import FaceAnalyzer
from kiosk.identity.face.demo_camera import DemoLiveCamera, face_mask
from kiosk.identity.face.flash import follow_score, plan_flash, skin_chroma
from kiosk.identity.face.matching import verify
from kiosk.identity.face.session import LivenessSession, LivenessState
from kiosk.paths import assets_dir
from tests.helpers.liveness_attempts import action_attempt, flash_attempt

UNSEEN_SEEDS = 100_000  # the tests use seeds from 0


def frames(count: int) -> list[np.ndarray]:
    face = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)[:300, 80:380]
    out = []
    for n in range(count):
        canvas = np.full((480, 640, 3), 100, np.uint8)
        x, y = 40 + (n * 37) % 300, 20 + (n * 23) % 160
        canvas[y : y + 300, x : x + 300] = face
        out.append(canvas)
    return out


def timed(function, items) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=12, help="liveness checks timed with the real detector")
    parser.add_argument("--attempts", type=int, default=300, help="generated attempts of each kind")
    parser.add_argument("--kiosk", type=int, default=5, help="checks timed through the kiosk's own wiring")
    args = parser.parse_args()
    analyzer = FaceAnalyzer()
    start = time.perf_counter()
    analyzer.load()
    print(f"model load {time.perf_counter() - start:.2f} s")
    images = frames(args.frames)
    reference = analyzer.embed(images[0], analyzer.detect(images[0]))
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    naive = timed(lambda f: cascade.detectMultiScale(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY), 1.1, 5), images)
    preview = timed(analyzer.detect, images)
    match = timed(lambda f: verify(analyzer.embed(f, analyzer.detect(f)), reference), images[:20])
    p_naive, p_preview, p_match = (statistics.median(t) * 1000 for t in (naive, preview, match))
    print(f"baseline full-frame Haar  median {p_naive:6.1f} ms  ({1000 / p_naive:5.1f} frames/s)")
    print(
        f"preview detect+landmarks  median {p_preview:6.1f} ms  ({1000 / p_preview:5.1f} frames/s, target >= 15)  ratio to baseline {p_preview / p_naive:.2f}x"
    )
    print(f"one match                 median {p_match:6.1f} ms  (target <= 300 ms), worst {max(match) * 1000:.1f} ms")
    landmark_measures(analyzer)
    decision_times(analyzer, args.sessions)
    decision_times_in_the_kiosk(args.kiosk)
    flash_cost(analyzer, images)
    rates(analyzer, args.attempts)
    return 0


def _camera_like(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same face again: moved, turned in the image plane, scaled, lit and compressed a little."""
    height, width = image.shape[:2]
    centre = (width / 2 + rng.normal(0, 5), height / 2 + rng.normal(0, 5))
    matrix = cv2.getRotationMatrix2D(centre, rng.normal(0, 3), 1 + rng.normal(0, 0.03))
    matrix[:, 2] += rng.normal(0, 4, 2)
    moved = cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    noisy = np.clip(moved * rng.uniform(0.8, 1.1) + rng.normal(0, 4, moved.shape), 0, 255).astype(np.uint8)
    return cv2.imdecode(cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 75])[1], cv2.IMREAD_COLOR)


def _tilted(image: np.ndarray, degrees: float, axis: str) -> np.ndarray:
    height, width = image.shape[:2]
    corners = np.float32([(0, 0), (width, 0), (width, height), (0, height)])
    angle, moved = np.radians(degrees), []
    for x, y in corners - (width / 2, height / 2):
        if axis == "x":
            y, depth = y * np.cos(angle), y * np.sin(angle)
        else:
            x, depth = x * np.cos(angle), x * np.sin(angle)
        moved.append((width / 2 + x * 900 / (900 + depth), height / 2 + y * 900 / (900 + depth)))
    matrix = cv2.getPerspectiveTransform(corners, np.float32(moved))
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def _real_faces() -> list[np.ndarray]:
    faces = [cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)]
    for small in skimage.data.lfw_subset()[:100]:  # the first 100 are faces
        canvas = np.full((480, 640), 120, np.uint8)
        canvas[140:340, 220:420] = cv2.resize((small * 255).astype(np.uint8), (200, 200), interpolation=cv2.INTER_CUBIC)
        faces.append(cv2.cvtColor(canvas, cv2.COLOR_GRAY2BGR))
    return faces


def landmark_measures(analyzer: FaceAnalyzer) -> None:
    rng = np.random.default_rng(0)
    jitter, tilt = [], []
    for image in _real_faces():
        found = analyzer.detect(image)
        if found is None:
            continue
        rest = np.array(measures(found.landmarks))
        scale = np.array([rest[0], 1, 1, 1])  # the eye opening is judged relative to its own rest
        again = [analyzer.detect(_camera_like(image, rng)) for _ in range(10)]
        seen = [measures(face.landmarks) for face in again if face is not None]
        if len(seen) >= 6:
            jitter.append(np.std(seen, axis=0) / scale)
        for axis in "xy":
            for degrees in (-30, 30):
                face = analyzer.detect(_tilted(image, degrees, axis))
                if face is not None and FaceTrack().follow(face.landmarks) is not None:
                    change = (np.array(measures(face.landmarks)) - rest) / scale
                    tilt.append((-change[0], abs(change[1]), change[2], change[3]))  # the way each action goes
    limits = ActionThresholds()
    thresholds = (1 - limits.blink_drop, limits.turn, limits.mouth, limits.nod)
    print(f"\nlandmark measures on {len(jitter)} real faces: jitter (sd, frame to frame) and a photo tilted 30 degrees")
    for n, name in enumerate(
        ("blink: eye opening (share)", "turn: nose sideways", "open mouth: lip gap", "nod: nose drop")
    ):
        noise = np.percentile([j[n] for j in jitter], 90)
        tilted = np.percentile([t[n] for t in tilt], 95)
        print(
            f"  {name:28s} threshold {thresholds[n]:.2f}  jitter p90 {noise:.4f} ({thresholds[n] / noise:4.1f}x)"
            f"  tilted photo p95 {tilted:+.3f} ({thresholds[n] / max(tilted, 1e-3):4.1f}x)"
        )


def decision_times(analyzer: FaceAnalyzer, sessions: int) -> None:
    photo = cv2.imread(str(assets_dir() / "demo" / "face.jpg"))
    landmarks = analyzer.detect(photo).landmarks
    decided, passed, busy, observing = [], 0, [], []
    for seed in range(UNSEEN_SEEDS, UNSEEN_SEEDS + sessions):
        now = [0.0]
        camera = DemoLiveCamera(photo, landmarks, fps=0, clock=lambda now=now: now[0], seed=seed)
        session = LivenessSession(FaceConfig(), random.Random(seed))
        camera.follow(session)
        while session.state in (LivenessState.WAITING, LivenessState.CHECKING) and now[0] < 30:
            frame = camera.read()
            start = time.perf_counter()
            face = analyzer.detect(frame)
            detected = time.perf_counter()
            session.observe(now[0], frame, face.landmarks if face else None)
            busy.append(time.perf_counter() - start)
            observing.append(time.perf_counter() - detected)
            now[0] += 1 / 15
        decided.append(now[0])
        passed += session.state is LivenessState.PASSED
    print(
        f"\nface in the oval to liveness decision, cooperative villager, {sessions} checks of 2-3 actions at 15 frames/s:"
        f" median {statistics.median(decided):.1f} s, worst {max(decided):.1f} s (target <= 8 s); {passed} passed;"
        f" detector + session {statistics.median(busy) * 1000:.1f} ms a frame (15 frames/s allows 66.7 ms), of which"
        f" the session {statistics.median(observing) * 1000:.2f} ms (worst {max(observing) * 1000:.1f} ms, the frame"
        " that fits the flash)"
    )


def decision_times_in_the_kiosk(checks: int) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize

    from kiosk.app.devices import Devices, camera_opener
    from kiosk.app.face_progress import FaceState
    from kiosk.app.session import CheckinMethod, Person
    from kiosk.ui.shell import application, build_shell, render

    app = application(offscreen=True)
    shell = build_shell(app, devices=Devices(lambda: None, camera_opener(None)))
    render(shell, "home", QSize(1280, 800))
    decided, rates, passed = [], [], 0
    for _ in range(checks):
        marks: dict[str, object] = {}
        frames = [0]

        def seen(progress, marks=marks, frames=frames) -> None:
            if progress.state == FaceState.CHECKING and "in_oval" not in marks:
                marks["in_oval"], marks["frames"] = time.monotonic(), frames[0]
            elif progress.state in (FaceState.MATCHED, FaceState.RETRY, FaceState.GAVE_UP) and "decided" not in marks:
                marks["decided"], marks["outcome"] = time.monotonic(), progress.state
                marks["frames"] = frames[0] - marks.get("frames", 0)

        shell.checkin.progress.connect(seen)
        counting = lambda _image, frames=frames: frames.__setitem__(0, frames[0] + 1)  # noqa: E731
        shell.checkin.frame.connect(counting)
        shell.navigator.home()
        shell.session.check_in(Person("张秀英", "410102195001012343", CheckinMethod.CARD))
        shell.checkin.prove_presence(lambda: None)
        deadline = time.monotonic() + 40
        while "decided" not in marks and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        shell.checkin.progress.disconnect(seen)
        shell.checkin.frame.disconnect(counting)
        shell.navigator.home()
        if "decided" in marks and "in_oval" in marks:
            decided.append(marks["decided"] - marks["in_oval"])
            rates.append(marks["frames"] / decided[-1])
            passed += marks["outcome"] == FaceState.MATCHED
    shell.shutdown()
    if not decided:
        print("\nthrough the kiosk: no check decided within 40 s")
        return
    print(
        f"\nthrough the kiosk (face screen, camera loop, demo camera in real time), {checks} checks:"
        f" face in the oval to decision median {statistics.median(decided):.1f} s, worst {max(decided):.1f} s"
        f" (target <= 8 s); {passed} passed; the camera loop ran at {statistics.median(rates):.1f} frames/s"
        " (the demo camera offers 15)"
    )


def flash_cost(analyzer: FaceAnalyzer, images: list[np.ndarray]) -> None:
    faces = [(image, analyzer.detect(image).landmarks) for image in images]
    per_frame = timed(lambda pair: skin_chroma(*pair), faces * 5)
    config = FaceConfig()
    plan = plan_flash(random.Random(0), config.flash_colours, config.flash_segment_s)
    times = list(np.arange(0, plan.duration_s, 1 / 30))  # 30 frames/s: the most frames a check can have
    chroma = [skin_chroma(*faces[n % len(faces)]) for n in range(len(times))]
    fit = timed(lambda _: follow_score(times, chroma, plan, config.flash_max_lag_s), range(20))
    shared = statistics.median(fit) / len(times)
    total = (statistics.median(per_frame) + shared) * 1000
    print(
        f"\nflash analysis at 640x480: skin chroma {statistics.median(per_frame) * 1000:.3f} ms a frame, the fit"
        f" {statistics.median(fit) * 1000:.1f} ms once ({shared * 1000:.3f} ms a frame over {len(times)} frames);"
        f" {total:.3f} ms a frame in all (target <= 5 ms)"
    )


def rates(analyzer: FaceAnalyzer, attempts: int) -> None:
    astronaut = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
    rest = analyzer.detect(astronaut).landmarks
    seeds = range(UNSEEN_SEEDS, UNSEEN_SEEDS + attempts)
    actions = {
        kind: sum(action_attempt(kind, s, rest) for s in seeds) / attempts
        for kind in ("live", "photo", "replay", "loop")
    }
    photo = np.ascontiguousarray(astronaut[30:210, 140:320])
    landmarks = analyzer.detect(photo).landmarks
    mask, config = face_mask(photo.shape, landmarks), FaceConfig()

    def flash_passes(kind: str, seed: int) -> bool:
        score = flash_attempt(kind, seed, photo, landmarks, mask, config)
        return score.score >= config.flash_min_score and score.strength >= config.flash_min_strength

    flash = {
        kind: sum(flash_passes(kind, s) for s in seeds) / attempts for kind in ("live", "replay", "photo", "printed")
    }
    print(f"\ngenerated attempts, {attempts} of each kind (seeds from {UNSEEN_SEEDS}):")
    print(
        f"  actions: false reject {1 - actions['live']:.1%}; false accept: photo held and tilted {actions['photo']:.1%},"
        f" earlier certification's recording {actions['replay']:.1%}, every action in a loop {actions['loop']:.1%}"
    )
    print(
        f"  flash:   false reject {1 - flash['live']:.1%}; false accept: earlier certification's recording"
        f" {flash['replay']:.1%}, photo on a phone {flash['photo']:.1%}; a printed photo follows {flash['printed']:.0%}"
    )
    both = (1 - actions["live"]) + (1 - flash["live"])
    print(
        f"  together (each check independent): false reject <= {both:.1%}; a recording passes both"
        f" {actions['replay'] * flash['replay']:.2%}, a printed photo {actions['photo'] * flash['printed']:.1%}"
    )


if __name__ == "__main__":
    sys.exit(main())
