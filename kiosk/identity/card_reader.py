"""ID-card readers: the serial SAM driver, and the loop that watches for a card on a worker thread.

Anything that reads cards implements ``CardReader``; the serial driver talks the SAM protocol
with pyserial, and the simulator (kiosk/sim/idcard.py) speaks the same protocol on a
pseudo-terminal, so tests and demos run the real driver.
"""

from __future__ import annotations

import errno
import logging
import termios
import time
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import serial

from kiosk.errors import KioskError
from kiosk.identity import sam
from kiosk.worker import WorkerThread

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)


class ReaderUnavailable(KioskError):
    """No reader at that port, or it stopped answering (unplugged, powered off)."""


class ReaderStatus(StrEnum):
    READY = "ready"
    LOST = "lost"  # unplugged or not answering: the loop keeps trying to open it again


# What the technician can act on, rather than pyserial's doubled "[Errno 2] could not open port ...".
_OPEN_ERRORS = {
    errno.ENOENT: "没有这个设备（没插上，或设备名写错了）",
    errno.EACCES: "没有权限（kiosk 用户要在 dialout 组里）",
    errno.EBUSY: "被别的程序占用着",
    errno.ENOTTY: "这不是串口，不是读卡器（读卡器是 /dev/ttyUSB0 这样的设备）",
    errno.EISDIR: "这是个文件夹，不是读卡器（读卡器是 /dev/ttyUSB0 这样的设备）",
}


def _why_not_opened(error: Exception) -> str:
    code = getattr(error, "errno", None)
    if code is None and isinstance(error.__context__, termios.error):  # pyserial's "Could not configure port"
        code = error.__context__.args[0]
    return _OPEN_ERRORS.get(code, str(error))


class CardReader(Protocol):
    def card_present(self) -> bool: ...

    def read_card(self) -> sam.CardData | None: ...

    def close(self) -> None: ...


class SerialCardReader:
    def __init__(self, port: str, baudrate: int = 115200, timeout_s: float = 1.0) -> None:
        self._port = port
        try:
            self._serial = serial.Serial(port, baudrate=baudrate, timeout=timeout_s, write_timeout=timeout_s)
        except (serial.SerialException, OSError, ValueError) as error:
            raise ReaderUnavailable(f"打不开读卡器 {port}：{_why_not_opened(error)}") from None

    def close(self) -> None:
        self._serial.close()

    def transact(self, cmd: int, para: int) -> tuple[int, bytes]:
        try:
            self._serial.reset_input_buffer()
            self._serial.write(sam.command_frame(cmd, para))
            header = self._read_exactly(7)
            rest = self._read_exactly(sam.frame_length(header))
        except (serial.SerialException, OSError, termios.error) as error:  # termios: the tty itself is gone
            raise ReaderUnavailable(f"读卡器 {self._port} 不响应了：{error}") from None
        return sam.parse_response(header + rest)

    def _read_exactly(self, count: int) -> bytes:
        data = self._serial.read(count)
        if len(data) != count:
            raise sam.ProtocolError(f"读卡器应答不完整：要 {count} 字节，收到 {len(data)}")
        return data

    def card_present(self) -> bool:
        return sam.card_found(self.transact(*sam.FIND_CARD)[0])

    def read_card(self) -> sam.CardData | None:
        """The card on the reader, or None if there is none (or it was lifted mid-read)."""
        if not self.card_present():
            return None
        status, _ = self.transact(*sam.SELECT_CARD)
        if status == 0x81:
            return None
        if status != sam.OK:
            raise sam.ReaderStatusError(status)
        status, data = self.transact(*sam.READ_BASE)
        if status != sam.OK:
            raise sam.ReaderStatusError(status)
        return sam.parse_base_info(data)


class ReaderLoop(WorkerThread):
    thread_name = "card-reader"

    """Poll for a card, read it once, report it, and wait for it to be lifted before reading again.

    Survives the reader being unplugged and plugged back: it reports ``lost`` and keeps trying
    to open it again, then reports ``ready``.
    """

    def __init__(
        self,
        open_reader: Callable[[], CardReader],
        on_card: Callable[[sam.CardData], None],
        on_status: Callable[[ReaderStatus], None] = lambda status: None,
        poll_s: float = 0.3,
        reopen_s: float = 1.0,
    ) -> None:
        self._open_reader = open_reader
        self._on_card = on_card
        self._on_status = on_status
        self._poll_s = poll_s
        self._reopen_s = reopen_s
        super().__init__()

    def _run(self) -> None:
        reader: CardReader | None = None
        armed = True
        status = None
        while not self._stop.is_set():
            try:
                if reader is None:
                    reader = self._open_reader()
                if status != ReaderStatus.READY:
                    status = ReaderStatus.READY
                    self._on_status(status)
                if reader.card_present():
                    if armed:
                        card = reader.read_card()
                        if card is not None:
                            armed = False
                            self._on_card(card)
                else:
                    armed = True
            except ReaderUnavailable as error:
                log.warning("card reader unavailable: %s", error.message)
                if reader is not None:
                    reader.close()
                    reader = None
                if status != ReaderStatus.LOST:
                    status = ReaderStatus.LOST
                    self._on_status(status)
                self._stop.wait(self._reopen_s)
                continue
            except (sam.ProtocolError, sam.ReaderStatusError) as error:
                log.warning("card read failed: %s", error)
            self._stop.wait(self._poll_s)
        if reader is not None:
            reader.close()


def wait_for_card(reader: CardReader, timeout_s: float, poll_s: float = 0.2) -> sam.CardData | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        card = reader.read_card()
        if card is not None:
            return card
        time.sleep(poll_s)
    return None
