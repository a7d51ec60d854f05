"""The ID-card reader's SAM serial protocol: frames, checksums, status codes, the text block.

Followed: the public "二代身份证 SAM 模块通信协议" as vendor manuals reproduce it (e.g. for the
SAM V/A modules of 华视 CVR-100 and 神思 SS628 readers):

    frame   = AA AA AA 96 69 | LEN (2 bytes, big-endian) | body | CHK
    command body  = CMD PARA [data];  response body = SW1 SW2 SW3 [data]
    LEN counts body + CHK;  CHK = XOR of LEN's two bytes and every body byte

Where manuals disagree: some list only SW3 as "the status"; we check SW1 = SW2 = 00 as well
(every response in every manual we read has them so), and treat anything else as a bad frame.
The read-base-info reply carries a two-byte text length and photo length (256 and 1024 on
every card we know) before the blocks; we honour the lengths the frame states.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.identity.codes import nation_name, sex_name

PREAMBLE = bytes.fromhex("AAAAAA9669")
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)
MAX_LEN = 0x0600

OK = 0x90
CARD_FOUND = 0x9F
STATUS = {
    0x90: "成功",
    0x9F: "找到卡",
    0x10: "校验和错误",
    0x11: "长度错误",
    0x21: "命令参数错误",
    0x23: "越权操作",
    0x24: "无法识别的错误",
    0x31: "卡认证机具失败",
    0x32: "机具认证卡失败",
    0x33: "信息验证错误",
    0x40: "无法识别的卡类型",
    0x41: "读卡操作失败",
    0x47: "取随机数失败",
    0x60: "SAM 自检失败",
    0x66: "SAM 未经授权",
    0x80: "找卡不成功（没有卡）",
    0x81: "选卡不成功",
    0x91: "此项无内容",
}
NO_CARD = 0x80
# Field widths in the 256-byte text block, in UCS-2 characters, in card order.
TEXT_FIELDS = (
    ("name", 15),
    ("sex_code", 1),
    ("nation_code", 2),
    ("birth", 8),
    ("address", 35),
    ("id_number", 18),
    ("authority", 15),
    ("valid_from", 8),
    ("valid_to", 8),
    ("reserved", 18),
)
TEXT_BYTES = 256


class ProtocolError(Exception):
    """A frame that cannot be trusted: wrong preamble, length, checksum, or content."""


class ReaderStatusError(Exception):
    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(f"读卡器状态 {status:02X}：{STATUS.get(status, '未知状态')}")


def card_found(status: int) -> bool:
    """The answer to "find card": a card is there, none is, or the reader reports a fault."""
    if status == CARD_FOUND:
        return True
    if status == NO_CARD:
        return False
    raise ReaderStatusError(status)


def checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def command_frame(cmd: int, para: int, data: bytes = b"") -> bytes:
    body = bytes((cmd, para)) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes((checksum(length + body),))


def response_frame(status: int, data: bytes = b"") -> bytes:
    body = bytes((0, 0, status)) + data
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes((checksum(length + body),))


def frame_length(header: bytes) -> int:
    """Given the first seven bytes of a frame, how many more bytes belong to it."""
    if len(header) < 7 or header[:5] != PREAMBLE:
        raise ProtocolError("帧头不对")
    length = int.from_bytes(header[5:7], "big")
    if not 2 <= length <= MAX_LEN:
        raise ProtocolError(f"帧长度不合理：{length}")
    return length


def parse_frame(frame: bytes) -> bytes:
    """Check a whole frame and return its body (without LEN and CHK)."""
    length = frame_length(frame[:7])
    if len(frame) != 7 + length:
        raise ProtocolError(f"帧长度不符：说是 {length}，实际 {len(frame) - 7}")
    body, check = frame[7:-1], frame[-1]
    if checksum(frame[5:-1]) != check:
        raise ProtocolError("校验和错误")
    return body


def parse_response(frame: bytes) -> tuple[int, bytes]:
    body = parse_frame(frame)
    if len(body) < 3 or body[0] != 0 or body[1] != 0:
        raise ProtocolError("应答的状态字不对")
    return body[2], body[3:]


def parse_command(frame: bytes) -> tuple[int, int, bytes]:
    body = parse_frame(frame)
    if len(body) < 2:
        raise ProtocolError("命令太短")
    return body[0], body[1], body[2:]


@dataclass(frozen=True)
class CardData:
    name: str
    sex: str
    nation: str
    birth: str
    address: str
    id_number: str
    authority: str
    valid_from: str
    valid_to: str
    photo: bytes  # the 1024-byte compressed (WLT) photo, kept as is

    @property
    def long_term(self) -> bool:
        return self.valid_to == "长期"


def parse_base_info(data: bytes) -> CardData:
    if len(data) < 4:
        raise ProtocolError("读卡数据太短")
    text_len, photo_len = int.from_bytes(data[0:2], "big"), int.from_bytes(data[2:4], "big")
    if text_len != TEXT_BYTES or len(data) != 4 + text_len + photo_len:
        raise ProtocolError(f"读卡数据长度不符：文字 {text_len}，照片 {photo_len}，共 {len(data)}")
    fields = parse_text_block(data[4 : 4 + text_len])
    return CardData(
        name=fields["name"],
        sex=sex_name(fields["sex_code"]),
        nation=nation_name(fields["nation_code"]),
        birth=fields["birth"],
        address=fields["address"],
        id_number=fields["id_number"],
        authority=fields["authority"],
        valid_from=fields["valid_from"],
        valid_to=fields["valid_to"],
        photo=bytes(data[4 + text_len :]),
    )


def parse_text_block(block: bytes) -> dict[str, str]:
    if len(block) != TEXT_BYTES:
        raise ProtocolError(f"文字信息应为 {TEXT_BYTES} 字节，实际 {len(block)}")
    try:
        text = block.decode("utf-16-le")
    except UnicodeDecodeError:
        raise ProtocolError("文字信息不是 UCS-2 编码") from None
    fields, start = {}, 0
    for name, width in TEXT_FIELDS:
        fields[name] = text[start : start + width].rstrip(" \x00")
        start += width
    if not fields["name"] or len(fields["id_number"]) != 18:
        raise ProtocolError("文字信息缺少姓名或身份证号")
    return fields


def text_block(**values: str) -> bytes:
    """Build a 256-byte text block (for the simulator and tests)."""
    parts = []
    for name, width in TEXT_FIELDS:
        value = values.get(name, "")
        if len(value) > width:
            raise ValueError(f"{name} longer than {width} characters")
        parts.append(value.ljust(width))
    return "".join(parts).encode("utf-16-le")
