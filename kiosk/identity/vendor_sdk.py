"""An ID-card reader driven through the vendor's SDK library (loaded with ctypes), for readers
that only come with one. Configured as ``sdtapi:/path/to/libsdtapi.so@PORT``.

Followed: the widely shipped "SDTAPI" interface of 神思/华视-compatible readers (sdtapi.dll /
libsdtapi.so): SDT_StartFindIDCard, SDT_SelectIDCard and SDT_ReadBaseMsg return the SAM status
byte (0x9F found, 0x90 success, 0x80 no card) and fill the same 256-byte text block and
1024-byte photo as the serial protocol. Where vendor manuals disagree on the last argument
(``iIfOpen``), we pass 1 (the SDK opens and closes the port itself), which every manual allows.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

from kiosk.identity import sam
from kiosk.identity.card_reader import ReaderUnavailable

TEXT_MAX, PHOTO_MAX = 256, 1024
IF_OPEN = 1


class VendorSdkReader:
    def __init__(self, library: Path, port: int) -> None:
        try:
            self._lib = ctypes.CDLL(str(library))
            self._find = self._lib.SDT_StartFindIDCard
            self._select = self._lib.SDT_SelectIDCard
            self._read = self._lib.SDT_ReadBaseMsg
        except (OSError, AttributeError) as error:
            raise ReaderUnavailable(f"读卡器厂商库不能用：{library}（{error}）") from None
        self._port = port

    def close(self) -> None:
        pass

    def card_present(self) -> bool:
        return sam.card_found(self._find(self._port, ctypes.create_string_buffer(8), IF_OPEN))

    def read_card(self) -> sam.CardData | None:
        if not self.card_present():
            return None
        status = self._select(self._port, ctypes.create_string_buffer(8), IF_OPEN)
        if status != sam.OK:
            return None
        text, photo = ctypes.create_string_buffer(TEXT_MAX), ctypes.create_string_buffer(PHOTO_MAX)
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        status = self._read(self._port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), IF_OPEN)
        if status != sam.OK:
            raise sam.ReaderStatusError(status)
        if text_len.value != TEXT_MAX or photo_len.value > PHOTO_MAX:
            raise sam.ProtocolError(f"厂商库给的长度不对：文字 {text_len.value}，照片 {photo_len.value}")
        data = (
            text_len.value.to_bytes(2, "big")
            + photo_len.value.to_bytes(2, "big")
            + text.raw[:TEXT_MAX]
            + photo.raw[: photo_len.value]
        )
        return sam.parse_base_info(data)


def parse_sdk_spec(spec: str) -> tuple[Path, int]:
    """``sdtapi:/opt/vendor/libsdtapi.so@1001`` → (library, port)."""
    body = spec.removeprefix("sdtapi:")
    library, _, port = body.rpartition("@")
    if not library or not port.isdigit():
        raise ReaderUnavailable(f"读卡器设置应写成 sdtapi:/库文件路径@端口号，现在是「{spec}」")
    return Path(library), int(port)
