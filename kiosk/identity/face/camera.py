"""Cameras: the real one through OpenCV, and a simulator that plays images or a video file.

``CaptureLoop`` reads frames on a worker thread, runs the face analysis there, and hands each
frame, its face and the moment it was read to a callback; the GUI thread only paints what it is
given. A camera follows a ``Scene`` (what the kiosk asks and shows: see ``demo_camera``): real
cameras film whatever is in front of them, the demo camera's villager acts it out.
"""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING, Protocol

import cv2
import numpy as np

from kiosk.errors import KioskError
from kiosk.worker import WorkerThread

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from kiosk.identity.face.analyzer import Face
    from kiosk.identity.face.demo_camera import Scene

log = logging.getLogger(__name__)
WIDTH, HEIGHT = 640, 480
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)  # a missing camera is our message, not OpenCV's


class CameraUnavailable(KioskError):
    pass


class Camera(Protocol):
    def read(self) -> np.ndarray | None: ...

    def follow(self, scene: Scene | None) -> None: ...

    def close(self) -> None: ...


class FrameAnalysis(Protocol):
    """What runs on each frame on the camera's thread: loaded there first, then asked for the face."""

    def load(self) -> None: ...

    def detect(self, frame: np.ndarray) -> Face | None: ...


class OpenCvCamera:
    def __init__(self, device: int | str = 0) -> None:
        # Video4Linux by index: by path OpenCV goes through FFmpeg, which reports a missing device on stderr.
        if isinstance(device, str) and (number := re.fullmatch(r"/dev/video(\d+)", device)):
            device = int(number.group(1))
        self._capture = cv2.VideoCapture(device, cv2.CAP_V4L2 if isinstance(device, int) else cv2.CAP_ANY)
        if not self._capture.isOpened():
            raise CameraUnavailable(f"打不开摄像头 {device}")
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, WIDTH)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, HEIGHT)

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        return frame if ok else None

    def follow(self, scene: Scene | None) -> None:
        """Whoever stands in front of a real camera does what the screen asks, or not."""

    def close(self) -> None:
        self._capture.release()


class FileCamera:
    """Plays still images (each held for ``hold`` frames) or a video file, looping."""

    def __init__(self, sources: Sequence[Path | np.ndarray], hold: int = 1, fps: float = 0.0) -> None:
        self._frames: list[np.ndarray] = []
        for source in sources:
            self._frames.extend(_load(source))
        if not self._frames:
            raise CameraUnavailable("模拟摄像头没有画面")
        self._hold = max(1, hold)
        self._index = 0
        self._delay = 1 / fps if fps else 0.0

    def read(self) -> np.ndarray | None:
        frame = self._frames[(self._index // self._hold) % len(self._frames)]
        self._index += 1
        if self._delay:
            time.sleep(self._delay)
        return frame.copy()

    def follow(self, scene: Scene | None) -> None:
        """A recording plays as it was recorded, whatever the screen asks now."""

    def close(self) -> None:
        pass


def _load(source: Path | np.ndarray) -> list[np.ndarray]:
    if isinstance(source, np.ndarray):
        return [source]
    image = cv2.imread(str(source))
    if image is not None:
        return [image]
    capture = cv2.VideoCapture(str(source))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    if not frames:
        raise CameraUnavailable(f"读不出图片或视频：{source}")
    return frames


class CaptureLoop(WorkerThread):
    thread_name = "camera"

    def __init__(
        self,
        open_camera: Callable[[], Camera],
        on_frame: Callable[[np.ndarray, Face | None, float], None],
        analyzer: FrameAnalysis | None,
        on_error: Callable[[str], None] = lambda message: None,
        scene: Scene | None = None,
    ) -> None:
        """``on_frame(frame, face, read_at)``: ``read_at`` from ``time.monotonic()``, as the scene's clock."""
        self._open_camera = open_camera
        self._on_frame = on_frame
        self._analyzer = analyzer
        self._on_error = on_error
        self._scene = scene
        super().__init__()

    def _run(self) -> None:
        try:
            camera = self._open_camera()
            if self._analyzer is not None:
                self._analyzer.load()
        except KioskError as error:
            self._on_error(error.message)
            return
        try:
            camera.follow(self._scene)
            while not self._stop.is_set():
                frame = camera.read()
                read_at = time.monotonic()
                if frame is None:
                    self._on_error("摄像头没有画面")
                    return
                face = self._analyzer.detect(frame) if self._analyzer is not None else None
                self._on_frame(frame, face, read_at)
        finally:
            camera.close()


def mirrored(frame: np.ndarray) -> np.ndarray:
    """What the villager sees: like a mirror, so moving left moves left on screen."""
    return frame[:, ::-1].copy()


def shrink_to_jpeg(frame: np.ndarray, max_side: int = 1024, quality: int = 80) -> bytes:
    """A photo small enough for a village uplink: longest side at most ``max_side``, JPEG."""
    height, width = frame.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    if scale < 1:
        frame = cv2.resize(frame, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise CameraUnavailable("照片压缩失败")
    return encoded.tobytes()
