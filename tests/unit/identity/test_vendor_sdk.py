"""The ctypes adapter against a real shared library built here with the SDTAPI's C signatures."""

import shutil
import subprocess

import pytest

from kiosk.identity import sam
from kiosk.identity.card_reader import ReaderUnavailable
from kiosk.identity.card_simulator import DEMO_CARD
from kiosk.identity.vendor_sdk import VendorSdkReader, parse_sdk_spec

FAKE_SDK = r"""
#include <string.h>
static int present = 1;
static const unsigned char text[256] = {%s};
int SDT_StartFindIDCard(int port, unsigned char *mana, int open) { return present ? 0x9F : 0x80; }
int SDT_SelectIDCard(int port, unsigned char *sn, int open) { return present ? 0x90 : 0x81; }
int SDT_ReadBaseMsg(int port, unsigned char *t, unsigned int *tl, unsigned char *p, unsigned int *pl, int open) {
    if (!present) return 0x41;
    memcpy(t, text, 256); *tl = 256; memset(p, 0x5A, 1024); *pl = 1024; return 0x90;
}
void fake_set_present(int value) { present = value; }
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    if not shutil.which("cc"):
        pytest.skip("no C compiler to build the stand-in vendor library")
    folder = tmp_path_factory.mktemp("sdk")
    block = ", ".join(str(b) for b in sam.text_block(**DEMO_CARD))
    (folder / "fake.c").write_text(FAKE_SDK % block)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(folder / "libsdtapi.so"), str(folder / "fake.c")], check=True)
    return folder / "libsdtapi.so"


def test_reads_the_card_through_the_vendor_library(library):
    reader = VendorSdkReader(library, 1001)
    card = reader.read_card()
    assert (card.name, card.id_number, card.long_term) == ("张秀英", DEMO_CARD["id_number"], True)
    assert card.photo == b"\x5a" * 1024
    reader._lib.fake_set_present(0)
    assert reader.read_card() is None


def test_a_library_without_the_interface_or_a_bad_spec_is_refused(tmp_path):
    with pytest.raises(ReaderUnavailable, match="厂商库不能用"):
        VendorSdkReader(tmp_path / "missing.so", 1)
    assert parse_sdk_spec("sdtapi:/opt/v/libsdtapi.so@1001") == (tmp_path.__class__("/opt/v/libsdtapi.so"), 1001)
    with pytest.raises(ReaderUnavailable, match="sdtapi:/库文件路径@端口号"):
        parse_sdk_spec("sdtapi:/opt/v/libsdtapi.so")
