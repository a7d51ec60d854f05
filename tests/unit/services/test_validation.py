import pytest

from kiosk.errors import InvalidInput
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.services.validation import validate

CATALOGUE = load_catalogue(offline_cache_dir())
SUBSIDY = CATALOGUE.service("subsidy")
LISTING = CATALOGUE.service("farm_listing")
GOOD = {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}


def test_a_good_request_passes_unchanged():
    assert validate(SUBSIDY, GOOD) == GOOD


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"subsidy_type": "lottery"}, "subsidy_type", "只能选"),
        ({"area_mu": 0}, "area_mu", "0.1 到 10000"),
        ({"area_mu": 1.25}, "area_mu", "1 位小数"),
        ({"area_mu": "12"}, "area_mu", "应是数字"),
        ({"area_mu": True}, "area_mu", "应是数字"),
        ({"phone": "1380013800"}, "phone", "11 位手机号码"),
        ({"phone": None}, "phone", "必须填写"),
        ({"colour": "red"}, "colour", "没有这个字段"),
    ],
)
def test_a_wrong_field_is_named_with_what_to_write(change, field, words):
    with pytest.raises(InvalidInput) as caught:
        validate(SUBSIDY, GOOD | change)
    assert field in caught.value.message and words in caught.value.message


def test_listing_needs_its_photo_and_money_has_two_decimals():
    listing = {
        "product": "fruit",
        "quantity": 30,
        "unit": "jin",
        "price": 3.5,
        "pickup": "村委会门口",
        "seller_name": "李大山",
        "phone": "13912345678",
    }
    with pytest.raises(InvalidInput, match="卖家姓名"):  # who sells is never left out
        validate(LISTING, {k: v for k, v in listing.items() if k != "seller_name"}, {"photo": b"jpeg"})
    with pytest.raises(InvalidInput, match="缺少照片"):
        validate(LISTING, listing)
    assert validate(LISTING, listing, {"photo": b"jpeg"}) == listing
    with pytest.raises(InvalidInput, match="2 位小数"):
        validate(LISTING, listing | {"price": 3.555}, {"photo": b"jpeg"})
    with pytest.raises(InvalidInput, match="不超过 40 个字"):
        validate(LISTING, listing | {"pickup": "远" * 41}, {"photo": b"jpeg"})
