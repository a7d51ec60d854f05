"""Real photos and the real face models, shared by the face tests."""

import cv2
import numpy as np
import pytest
import skimage.data

from kiosk.identity.face.analyzer import FaceAnalyzer


@pytest.fixture(scope="session")
def analyzer():
    loaded = FaceAnalyzer()
    loaded.load()
    return loaded


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    return cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
