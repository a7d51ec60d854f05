"""The SAM protocol, byte for byte as the module manuals print the frames."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.identity import sam
from kiosk.identity.card_simulator import DEMO_CARD, CardReaderSimulator


@pytest.mark.parametrize(
    ("command", "frame"),
    [
        (sam.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
        (sam.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
        (sam.READ_BASE, "AA AA AA 96 69 00 03 30 01 32"),
    ],
)
def test_command_frames_match_the_specification(command, frame):
    assert sam.command_frame(*command) == bytes.fromhex(frame)


def test_response_frames_match_the_specification():
    assert sam.response_frame(sam.CARD_FOUND, bytes(4)) == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    assert sam.response_frame(sam.NO_CARD) == bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")
    assert sam.parse_response(bytes.fromhex("AA AA AA 96 69 00 04 00 00 90 94")) == (0x90, b"")


def test_read_base_info_reply_is_1295_bytes_with_length_0508():
    reply = CardReaderSimulator().reply_to(sam.command_frame(*sam.READ_BASE))
    assert len(reply) == 1295 and reply[5:7] == b"\x05\x08"
    status, data = sam.parse_response(reply)
    card = sam.parse_base_info(data)
    assert (status, card.name, card.sex, card.nation) == (0x90, "张秀英", "女", "汉")
    assert card.id_number == DEMO_CARD["id_number"] and card.long_term and len(card.photo) == 1024


@pytest.mark.parametrize("status", sorted(sam.STATUS))
def test_every_status_code_has_plain_words(status):
    status_read, _ = sam.parse_response(sam.response_frame(status))
    assert status_read == status
    assert sam.STATUS[status] in str(sam.ReaderStatusError(status))


def test_bad_checksum_length_and_preamble_are_protocol_errors():
    good = sam.response_frame(sam.OK)
    with pytest.raises(sam.ProtocolError, match="校验和"):
        sam.parse_response(good[:-1] + bytes((good[-1] ^ 1,)))
    with pytest.raises(sam.ProtocolError, match="帧头"):
        sam.parse_response(b"\x00" + good[1:])
    with pytest.raises(sam.ProtocolError, match="长度不符"):
        sam.parse_response(good + b"\x00")
    with pytest.raises(sam.ProtocolError, match="状态字"):
        sam.parse_response(sam.command_frame(0x01, 0x90))


def test_the_simulator_answers_a_corrupt_command_with_status_10():
    frame = sam.command_frame(*sam.FIND_CARD)
    reply = CardReaderSimulator().reply_to(frame[:-1] + b"\x00")
    assert sam.parse_response(reply)[0] == 0x10


def test_text_block_with_fixed_term_minority_name_and_foreign_characters():
    block = sam.text_block(
        name="阿依古丽·买买提", sex_code="2", nation_code="05", birth="19620315",
        address="新疆维吾尔自治区喀什地区疏附县托克扎克镇阿亚格曼干村", id_number="65312119620315002X",
        authority="疏附县公安局", valid_from="20100101", valid_to="20300101",
    )  # fmt: skip
    fields = sam.parse_text_block(block)
    assert fields["name"] == "阿依古丽·买买提" and fields["valid_to"] == "20300101"
    data = len(block).to_bytes(2, "big") + (1024).to_bytes(2, "big") + block + bytes(1024)
    card = sam.parse_base_info(data)
    assert (card.nation, card.long_term) == ("维吾尔", False)
    assert len(block) == 256


@given(st.binary(max_size=1400))
def test_arbitrary_bytes_give_only_clean_protocol_errors(data):
    for parse in (sam.parse_response, sam.parse_command):
        with contextlib.suppress(sam.ProtocolError):
            parse(data)
    with contextlib.suppress(sam.ProtocolError):
        sam.parse_base_info(data)


@given(st.integers(min_value=0, max_value=1294))
def test_every_truncation_of_a_real_reply_is_a_clean_protocol_error(cut):
    reply = CardReaderSimulator().reply_to(sam.command_frame(*sam.READ_BASE))
    with pytest.raises(sam.ProtocolError):
        sam.parse_response(reply[:cut])


@given(st.binary(min_size=256, max_size=256))
def test_arbitrary_text_blocks_parse_or_fail_cleanly(block):
    try:
        fields = sam.parse_text_block(block)
    except sam.ProtocolError:
        return
    assert len(fields["id_number"]) == 18
