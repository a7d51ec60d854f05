from datetime import date

import pytest

from kiosk.errors import InvalidInput
from kiosk.identity.idnumber import check_char, mask, mask_name, mask_phone, parse
from kiosk.voice.normalize import for_speech

# Published examples: GB 11643's own sample and commonly cited valid numbers.
VALID = ["11010519491231002X", "110101199003074477", "410102195001012343"]


@pytest.mark.parametrize("number", VALID)
def test_known_valid_numbers(number):
    parsed = parse(number)
    assert parsed.value == number
    assert check_char(number[:17]) == number[17]


def test_birth_date_and_sex_come_from_the_number():
    parsed = parse("11010519491231002X")
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"
    assert parse("110101199003074477").sex == "男"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("11010519491231002", "18 位"),
        ("110105194912310021", "最后一位对不上"),
        ("1101051949123100XX", "18 位"),
        ("110105194902300024", "出生日期不存在"),
        ("110105290012310029", "出生日期不对"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, words):
    if "对不上" not in words and "18 位" not in words:
        number = number[:17] + check_char(number[:17])
    with pytest.raises(InvalidInput, match=words):
        parse(number, today=date(2026, 11, 23))


def test_lower_case_x_and_spaces_are_accepted():
    assert parse(" 11010519491231002x ").value == "11010519491231002X"


def test_masking_for_screen_and_speech():
    assert mask("41010219500101234X") == "4101**********234X"
    assert for_speech("4101**********234X") == "四一零一，中间隐藏，二三四叉"
    assert for_speech(mask("13912345678")) == "一三九一，中间隐藏，五六七八"
    assert mask_phone("13912345678") == "139****5678"
    assert for_speech(mask_phone("13912345678")) == "一三九，中间隐藏，五六七八"
    assert mask_name("张秀英") == "张*英"
    assert mask_name("王五") == "王*"
    assert mask_name("阿依古丽·买买提") == "阿******提"
