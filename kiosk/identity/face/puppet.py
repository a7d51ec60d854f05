"""A still photo of a face made to move: eyes closed, head turned or nodded, mouth opened.

For the demo camera and the tests only. The warps are crude (a displacement field around the
nose, a lid of skin stretched over each eye, a dark gap between the lips) but the real detector
and landmark model read them as the gestures they stand for, which is what the simulator needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Pose:
    turn: float = 0.0  # eye spans the nose moves towards the image's right (the villager's left)
    nod: float = 0.0  # eye spans the nose moves down
    eyes: float = 1.0  # 1 open, 0 closed
    mouth: float = 0.0  # lip gap in mouth widths


class Puppet:
    def __init__(self, photo_bgr: np.ndarray, landmarks: np.ndarray) -> None:
        self.photo = photo_bgr
        self.landmarks = landmarks
        height, width = photo_bgr.shape[:2]
        self._xs, self._ys = (grid.astype(np.float32) for grid in np.mgrid[0:height, 0:width][::-1])
        self._span = float(np.linalg.norm(landmarks[42:48].mean(axis=0) - landmarks[36:42].mean(axis=0)))
        nose = landmarks[30]
        across = (self._xs - nose[0]) / (0.8 * self._span)
        down = (self._ys - nose[1] - 0.3 * self._span) / (1.2 * self._span)
        self._head = np.exp(-(across**2 + down**2)).astype(np.float32)

    def render(self, pose: Pose) -> np.ndarray:
        image = self.photo
        if pose.turn or pose.nod:
            shift_x = np.float32(pose.turn * self._span) * self._head
            shift_y = np.float32(pose.nod * self._span) * self._head
            image = cv2.remap(
                image, self._xs - shift_x, self._ys - shift_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
            )
        else:
            image = image.copy()
        moved = np.array([pose.turn * self._span * 0.45, pose.nod * self._span * 0.4])
        if pose.eyes < 1:
            for eye in (self.landmarks[36:42], self.landmarks[42:48]):
                _close_eye(image, eye.mean(axis=0) + moved, float(np.linalg.norm(eye[3] - eye[0])), 1 - pose.eyes)
        if pose.mouth > 0:
            image = self._open_mouth(image, pose, moved * 1.8)
        return image

    def _open_mouth(self, image: np.ndarray, pose: Pose, moved: np.ndarray) -> np.ndarray:
        points = self.landmarks
        width = float(np.linalg.norm(points[54] - points[48]))
        upper, lower = points[62] + moved, points[66] + moved
        gap = pose.mouth * width
        below = np.clip((self._ys - lower[1] + 2) / 3.0, 0, 1)
        near = np.exp(-(((self._xs - lower[0]) / (1.1 * width)) ** 2))
        jaw_end = np.exp(-np.clip(self._ys - lower[1] - 1.6 * width, 0, None) / (0.6 * width))
        drop = (gap * below * near * jaw_end).astype(np.float32)
        dropped = cv2.remap(image, self._xs, self._ys - drop, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        centre = (round(float(upper[0] + lower[0]) / 2), round(float(upper[1] + lower[1] + gap) / 2))
        axes = (int(0.36 * width), max(1, int((lower[1] + gap - upper[1]) / 2)))
        cv2.ellipse(dropped, centre, axes, 0, 0, 360, (40, 30, 60), -1, cv2.LINE_AA)
        return dropped


def _close_eye(image: np.ndarray, centre: np.ndarray, eye_width: float, amount: float) -> None:
    """Lids of the skin just above and below the eye, stretched over it to meet in a dark line."""
    half_w, half_h = int(0.8 * eye_width), max(2, int(0.5 * eye_width))
    x0, y0 = int(centre[0]) - half_w, int(centre[1]) - half_h
    x1, y1 = x0 + 2 * half_w, y0 + 2 * half_h
    if x0 < 0 or y0 - half_h < 0 or x1 > image.shape[1] or y1 + half_h > image.shape[0]:
        return
    upper = cv2.resize(image[y0 - half_h : y0 - half_h // 3, x0:x1], (x1 - x0, half_h))
    lower = cv2.resize(image[y1 + half_h // 3 : y1 + half_h, x0:x1], (x1 - x0, half_h))
    lid = np.vstack([upper, lower])
    cv2.line(lid, (int(0.15 * (x1 - x0)), half_h), (int(0.85 * (x1 - x0)), half_h), (50, 40, 40), 2, cv2.LINE_AA)
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    cv2.ellipse(mask, (half_w, half_h), (half_w - 1, half_h - 1), 0, 0, 360, 1.0, -1)
    mask = (cv2.GaussianBlur(mask, (5, 5), 0) * amount)[..., None]
    region = image[y0:y1, x0:x1]
    image[y0:y1, x0:x1] = (region * (1 - mask) + lid * mask).astype(np.uint8)
