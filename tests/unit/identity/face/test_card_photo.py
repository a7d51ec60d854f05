"""The WLT decoder adapter against a library built here with the vendor SDK's signature, fed a real face."""

import shutil
import subprocess

import cv2
import numpy as np
import pytest
import skimage.data

from kiosk.identity.face.analyzer import FaceAnalyzer, embed_card_photo
from kiosk.identity.face.card_photo import HEIGHT, ROW_BYTES, WIDTH, CardPhotoDecoder, CardPhotoUnavailable
from kiosk.identity.face.matching import verify

FAKE_DECODER = r"""
#include <string.h>
static const unsigned char pixels[%d] = {%s};
int unpack(char *wlt, char *bmp, int save) {
    if ((unsigned char) wlt[0] != 0x57) return -1;  /* our stand-in accepts only its own test data */
    memcpy(bmp, pixels, sizeof pixels); return 1;
}
"""


def _card_face() -> np.ndarray:
    """The astronaut as a card photo would show her: head and shoulders, 102x126."""
    image = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)[20:260, 110:300]
    return cv2.resize(image, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def decoder(tmp_path_factory):
    if not shutil.which("cc"):
        pytest.skip("no C compiler to build the stand-in decoder")
    rows = np.zeros((HEIGHT, ROW_BYTES), np.uint8)
    rows[:, : WIDTH * 3] = _card_face()[::-1].reshape(HEIGHT, WIDTH * 3)  # BMP rows run bottom-up
    folder = tmp_path_factory.mktemp("wlt")
    (folder / "fake.c").write_text(FAKE_DECODER % (rows.size, ",".join(map(str, rows.ravel()))))
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(folder / "libwlt2bmp.so"), str(folder / "fake.c")], check=True)
    return CardPhotoDecoder(folder / "libwlt2bmp.so")


def test_decodes_rows_in_the_right_order_and_the_face_matches_the_live_one(decoder):
    photo = decoder.decode(b"\x57" + bytes(1023))
    assert photo.shape == (HEIGHT, WIDTH, 3)
    assert np.array_equal(photo, _card_face())
    analyzer = FaceAnalyzer()
    card = embed_card_photo(analyzer, photo)
    live = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
    assert card is not None and verify(analyzer.embed(live, analyzer.detect(live)), card).matched


def test_refused_data_and_missing_library_are_plain_errors(decoder, tmp_path):
    with pytest.raises(CardPhotoUnavailable, match="解不开"):
        decoder.decode(bytes(1024))
    with pytest.raises(CardPhotoUnavailable, match="1024"):
        decoder.decode(b"\x57")
    with pytest.raises(CardPhotoUnavailable, match="解码库不能用"):
        CardPhotoDecoder(tmp_path / "missing.so")


def test_face_check_in_against_the_card_itself(decoder):
    """The live face (the demo camera's villager, the same astronaut) proven live, then matched to her card."""
    import random

    from kiosk.app.face_checkin import FaceCheckin, card_reference
    from kiosk.config import FaceConfig
    from kiosk.paths import assets_dir
    from tests.unit.app.test_face_checkin import Clock, _run, _villager

    analyzer = FaceAnalyzer()
    reference = card_reference(analyzer, decoder, "张秀英", "410102195001012343", b"\x57" + bytes(1023))
    assert reference is not None and reference.id_number == "410102195001012343"
    photo = cv2.imread(str(assets_dir() / "demo" / "face.jpg"))
    clock = Clock()
    checkin = FaceCheckin(analyzer, list, None, FaceConfig(), random.Random(3), expected=reference)
    seen = _run(checkin, _villager((photo, analyzer.detect(photo).landmarks), clock), analyzer, clock)
    assert seen[-1].state == "matched" and seen[-1].enrolled.name == "张秀英"
    assert card_reference(analyzer, decoder, "x", "y", bytes(1024)) is None
