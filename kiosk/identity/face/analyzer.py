"""Find a face, its 68 landmarks and its 128-number embedding, with models that ship in wheels.

Detection is OpenCV's Haar cascade on a downscaled grey frame (fast enough for the live
preview); landmarks and embedding are dlib's, from the face_recognition_models package. Its
files are located without importing it (it imports pkg_resources). Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import cv2
import dlib
import numpy as np

from kiosk.errors import KioskError

CASCADE = "haarcascade_frontalface_default.xml"
LANDMARKS = "shape_predictor_68_face_landmarks.dat"
EMBEDDING = "dlib_face_recognition_resnet_model_v1.dat"
DETECT_WIDTH = 320


class FaceModelsMissing(KioskError):
    pass


def models_dir() -> Path:
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelsMissing("人脸模型没有安装（pip 包 face_recognition_models）")
    return Path(spec.submodule_search_locations[0]) / "models"


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # left, top, right, bottom in frame pixels
    landmarks: np.ndarray  # (68, 2) float, frame pixels

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]


class FaceAnalyzer:
    """Load once (slow), then use from one worker thread."""

    @cached_property
    def _cascade(self) -> cv2.CascadeClassifier:
        cascade = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / CASCADE))
        if cascade.empty():
            raise FaceModelsMissing(f"OpenCV 的人脸检测文件 {CASCADE} 读不出来")
        return cascade

    @cached_property
    def _shape(self):
        return dlib.shape_predictor(str(models_dir() / LANDMARKS))

    @cached_property
    def _embedder(self):
        return dlib.face_recognition_model_v1(str(models_dir() / EMBEDDING))

    def load(self) -> None:
        """Load every model now (off the GUI thread), so the first frame is not slow."""
        _ = self._cascade, self._shape, self._embedder

    def detect(self, frame_bgr: np.ndarray) -> Face | None:
        """The largest face in the frame with its landmarks, or None."""
        height, width = frame_bgr.shape[:2]
        scale = min(1.0, DETECT_WIDTH / width)
        grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
        small = cv2.resize(grey, None, fx=scale, fy=scale) if scale < 1 else grey
        found = self._cascade.detectMultiScale(small, scaleFactor=1.15, minNeighbors=5, minSize=(40, 40))
        if len(found) == 0:
            return None
        x, y, w, h = (int(v / scale) for v in max(found, key=lambda f: f[2] * f[3]))
        box = (x, y, min(width, x + w), min(height, y + h))
        shape = self._shape(grey, dlib.rectangle(*box))
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        return Face(box, points)

    def embed(self, frame_bgr: np.ndarray, face: Face) -> np.ndarray:
        rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        shape = self._shape(rgb, dlib.rectangle(*face.box))
        return np.array(self._embedder.compute_face_descriptor(rgb, shape), dtype=np.float32)


def embed_card_photo(analyzer: FaceAnalyzer, photo_bgr: np.ndarray) -> np.ndarray | None:
    """The embedding of the face on a card photo (small, tightly cropped: scaled up first), or None."""
    big = cv2.resize(photo_bgr, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    padded = cv2.copyMakeBorder(big, 60, 60, 60, 60, cv2.BORDER_REPLICATE)
    face = analyzer.detect(padded)
    return analyzer.embed(padded, face) if face is not None else None
