"""A simulated ID-card reader that speaks the SAM protocol on a pseudo-terminal.

The kiosk's real serial driver talks to it exactly as to a reader on /dev/ttyUSB0. With
``link`` it also keeps a fixed symlink pointing at the device (as udev does for a real reader),
so unplugging and plugging back can be simulated at a stable path.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from typing import TYPE_CHECKING

from kiosk.identity import sam
from kiosk.identity.idnumber import check_char

if TYPE_CHECKING:
    from pathlib import Path

DEMO_ID_BASE = "41010219500101234"
DEMO_CARD = {
    "name": "张秀英",
    "sex_code": "2",
    "nation_code": "01",
    "birth": "19500101",
    "address": "河南省郑州市中原区须水镇东村十二号",
    "id_number": DEMO_ID_BASE + check_char(DEMO_ID_BASE),
    "authority": "郑州市公安局中原分局",
    "valid_from": "20150101",
    "valid_to": "长期",
}
PHOTO_BYTES = 1024


class CardReaderSimulator:
    def __init__(self, card: dict | None = None, present: bool = True, link: Path | None = None) -> None:
        self.card = dict(card or DEMO_CARD)
        self.present = present
        self.photo = bytes((n * 37) % 256 for n in range(PHOTO_BYTES))
        self.link = link
        self.corrupt_replies = 0
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread: threading.Thread | None = None
        self.path = ""

    # -- the device ----------------------------------------------------------------------------

    def plug(self) -> str:
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        self._master, self._slave = master, slave
        self.path = os.ttyname(slave)
        if self.link:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self.path)
            tmp.replace(self.link)
        self._thread = threading.Thread(target=self._serve, args=(master,), daemon=True)
        self._thread.start()
        return self.path

    def unplug(self) -> None:
        master, slave = self._master, self._slave
        self._master = self._slave = None
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)
        if self._thread:
            self._thread.join(2)

    def place_card(self, card: dict | None = None) -> None:
        with self._lock:
            if card:
                self.card = dict(card)
            self.present = True

    def remove_card(self) -> None:
        with self._lock:
            self.present = False

    # -- the protocol --------------------------------------------------------------------------

    def reply_to(self, frame: bytes) -> bytes:
        try:
            cmd, para, _ = sam.parse_command(frame)
        except sam.ProtocolError:
            return sam.response_frame(0x10)
        with self._lock:
            present = self.present
            card = dict(self.card)
            corrupt = self.corrupt_replies > 0
            self.corrupt_replies -= corrupt
        reply = self._answer((cmd, para), present, card)
        if corrupt:
            reply = reply[:-1] + bytes((reply[-1] ^ 0xFF,))
        return reply

    def _answer(self, command: tuple[int, int], present: bool, card: dict) -> bytes:
        if command == sam.FIND_CARD:
            return sam.response_frame(sam.CARD_FOUND, bytes(4)) if present else sam.response_frame(sam.NO_CARD)
        if command == sam.SELECT_CARD:
            return sam.response_frame(sam.OK, bytes(8)) if present else sam.response_frame(0x81)
        if command == sam.READ_BASE:
            if not present:
                return sam.response_frame(0x41)
            text = sam.text_block(**card)
            lengths = len(text).to_bytes(2, "big") + len(self.photo).to_bytes(2, "big")
            return sam.response_frame(sam.OK, lengths + text + self.photo)
        return sam.response_frame(0x21)

    def _serve(self, master: int) -> None:
        buffer = b""
        while self._master == master:
            try:
                ready, _, _ = select.select([master], [], [], 0.1)
                if not ready:
                    continue
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            buffer = self._handle(master, buffer)

    def _handle(self, master: int, buffer: bytes) -> bytes:
        while True:
            start = buffer.find(sam.PREAMBLE)
            if start < 0:
                return buffer[-4:]
            buffer = buffer[start:]
            if len(buffer) < 7:
                return buffer
            try:
                length = sam.frame_length(buffer[:7])
            except sam.ProtocolError:
                buffer = buffer[1:]
                continue
            if len(buffer) < 7 + length:
                return buffer
            frame, buffer = buffer[: 7 + length], buffer[7 + length :]
            try:
                os.write(master, self.reply_to(frame))
            except OSError:
                return b""
