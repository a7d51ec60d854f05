"""The photo on the resident ID card, decoded by the vendor's WLT decoder library when one is
configured, so a live face can be matched against the card itself.

The card's 1024-byte photo is in the proprietary WLT format; only the licensed decoder
(libwlt2bmp.so / WltRS.dll in vendor SDKs) can unpack it. Followed: the Linux SDKs' ``int
unpack(char *wlt, char *bmp, int save)``, which returns 1 and fills BMP pixel data of the
102x126 photo: 24-bit BGR, rows bottom-up, each row padded to four bytes. Configured as
``face.card_photo_decoder`` (KIOSK_CARD_PHOTO_DECODER).
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING

import numpy as np

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from pathlib import Path

WIDTH, HEIGHT = 102, 126
ROW_BYTES = (WIDTH * 3 + 3) // 4 * 4
PIXEL_BYTES = ROW_BYTES * HEIGHT


class CardPhotoUnavailable(KioskError):
    pass


class CardPhotoDecoder:
    def __init__(self, library: Path) -> None:
        try:
            self._unpack = ctypes.CDLL(str(library)).unpack
        except (OSError, AttributeError) as error:
            raise CardPhotoUnavailable(f"身份证照片解码库不能用：{library}（{error}）") from None
        self._unpack.restype = ctypes.c_int

    def decode(self, wlt: bytes) -> np.ndarray:
        """The card photo as a BGR image (126 rows, 102 columns)."""
        if len(wlt) != 1024:
            raise CardPhotoUnavailable(f"身份证照片数据应为 1024 字节，实际 {len(wlt)}")
        out = ctypes.create_string_buffer(PIXEL_BYTES)
        if self._unpack(ctypes.c_char_p(wlt), out, 0) != 1:
            raise CardPhotoUnavailable("身份证照片解不开（解码库拒绝了这份数据）")
        rows = np.frombuffer(out.raw, dtype=np.uint8).reshape(HEIGHT, ROW_BYTES)[:, : WIDTH * 3]
        return rows.reshape(HEIGHT, WIDTH, 3)[::-1].copy()
