"""The form as a villager meets her own mistakes, through the real widgets: plain words beside the value she
typed, a keypad that refuses what cannot be right, 返回 and the read-back keeping every answer, the questions
that apply only to some choices."""

import json

import pytest

from kiosk.services.form import PHONE_FULL
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from kiosk.ui.screens.form import AGAIN, PICK
from kiosk.voice.lines import text_of
from kiosk.voice.normalize import Reading, readings
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, _key_in, kiosk  # noqa: F401

PHONE = "13912345678"


@pytest.fixture
def subsidy(kiosk, qtbot):  # noqa: F811
    _check_in_and_start(kiosk, qtbot, "subsidy")
    return kiosk.services.form


def _fill_in(qtbot, form, kind="耕地地力保护补贴", area="12点5"):
    _click(qtbot, _button(form, kind))
    if area:
        _key_in(qtbot, form, area)
    _key_in(qtbot, form, PHONE)
    assert form.form.step.field is None  # the read-back


def test_a_wrong_area_stays_in_its_box_in_plain_words_and_the_keypad_refuses_a_12th_digit(kiosk, subsidy, qtbot):  # noqa: F811
    form = subsidy
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _key_in(qtbot, form, "20000")
    words = "面积要在 0.1 到 10000 亩之间，请重新输入。"
    assert form.error.isVisible() and form.error.text() == words and "area_mu" not in text_of(form.prompt)
    assert text_of(form.prompt).startswith(words)  # and said, as the screen speaks it
    assert form.display.text() == "20000 亩" and kiosk.window.step.text() == "第 2 步 / 共 4 步"
    _click(qtbot, _button(form, "确定"))  # the same again: visibly and audibly a new answer
    assert form.error.text() == f"{AGAIN}{words}" and text_of(form.prompt).startswith(AGAIN)
    assert form.display.text() == "20000 亩"
    _click(qtbot, _button(form, "删"))  # she changes it: the complaint goes
    assert not form.error.isVisible() and form.display.text() == "2000 亩"
    _click(qtbot, _button(form, "点"))
    _click(qtbot, _button(form, "点"))  # a second point
    _click(qtbot, _button(form, "5"))
    _click(qtbot, _button(form, "5"))  # a second decimal for a field of one
    assert form.display.text() == "2000.5 亩" and "1 位" in form.error.text()
    _click(qtbot, _button(form, "确定"))
    assert form.form.step.field.id == "phone"
    for key in PHONE + "9":  # a 12th digit
        _click(qtbot, _button(form, key))
    assert form.display.text() == "139 1234 5678" and form.error.text() == PHONE_FULL
    assert "点" not in [b.text() for b in form.buttons]  # and no point to press in a phone number


def test_back_from_the_read_back_keeps_every_answer(kiosk, subsidy, qtbot):  # noqa: F811
    form, window = subsidy, kiosk.window
    _fill_in(qtbot, form)
    _click(qtbot, window.back_button)
    assert (form.form.step.field.id, form.display.text()) == ("phone", "139 1234 5678")
    _click(qtbot, window.back_button)
    assert (form.form.step.field.id, form.display.text()) == ("area_mu", "12.5 亩")
    _click(qtbot, window.back_button)
    chosen = [b for b in form.buttons if b.property("chosen")]
    assert [b.text() for b in chosen] == ["✓ 耕地地力保护补贴"]
    _click(qtbot, chosen[0])
    assert form.display.text() == "12.5 亩"
    _click(qtbot, _button(form, "确定"))
    assert form.display.text() == "139 1234 5678"
    _click(qtbot, _button(form, "确定"))
    assert [b.text() for b in form.answer_buttons.values()] == [
        "补贴种类：耕地地力保护补贴",  # the big panel has room for each label
        "面积：12.5亩",
        "联系电话：139 1234 5678",  # her own number in full while she is checked in, grouped as typed
    ]
    spoken = [r.blocks for r in readings(text_of(form.spoken_text())) if isinstance(r, Reading)]
    assert ("一", "三", "九", "一", "二", "三", "四", "五", "六", "七", "八") in spoken  # her phone, digit by digit


def test_back_before_confirming_keeps_what_she_typed(kiosk, subsidy, qtbot):  # noqa: F811
    form, window = subsidy, kiosk.window
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _key_in(qtbot, form, "12点5")
    for key in "1391234":  # part of her phone, no 确定 yet
        _click(qtbot, _button(form, key))
    _click(qtbot, window.back_button)  # to look at the area again
    assert (form.form.step.field.id, form.display.text()) == ("area_mu", "12.5 亩")
    _click(qtbot, _button(form, "确定"))
    assert (form.form.step.field.id, form.display.text()) == ("phone", "139 1234")


def test_the_elderly_allowance_skips_the_area_up_to_the_province(kiosk, subsidy, qtbot, store, province):  # noqa: F811
    form = subsidy
    _click(qtbot, _button(form, "高龄津贴"))
    assert form.form.step.field.id == "phone" and kiosk.window.step.text() == "第 2 步 / 共 3 步"
    _key_in(qtbot, form, PHONE)
    assert kiosk.window.step.text() == "第 3 步 / 共 3 步"
    assert [b.text() for b in form.answer_buttons.values()] == ["补贴种类：高龄津贴", "联系电话：139 1234 5678"]
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == "receipt", timeout=10_000)
    config = province.config()
    Relay(store.outbox, ProvincialClient(config), config.sync).run_once()
    [item] = store.outbox.items()
    assert item.state == "accepted"
    [(payload,)] = province.province.conn.execute("SELECT payload FROM submissions").fetchall()
    assert {k: v for k, v in json.loads(payload).items() if k != "applicant"} == {
        "subsidy_type": "elderly_allowance",
        "phone": PHONE,
    }


def test_a_read_back_button_opens_its_question_and_returns_to_the_read_back(kiosk, subsidy, qtbot):  # noqa: F811
    form, window = subsidy, kiosk.window
    _fill_in(qtbot, form)
    _click(qtbot, form.answer_buttons["area_mu"])
    assert (form.form.step.field.id, form.display.text()) == ("area_mu", "12.5 亩")
    for _ in "12.5":
        _click(qtbot, _button(form, "删"))
    _key_in(qtbot, form, "20")
    assert form.form.step.field is None and window.step.text() == "第 4 步 / 共 4 步"  # not through the phone
    assert form.answer_buttons["area_mu"].text() == "面积：20亩"
    _click(qtbot, _button(form, "不对，改一下"))  # she picks which one
    assert form.question.isVisible() and form.question.text() == PICK
    assert "对，提交" not in [b.text() for b in form.buttons]
    _click(qtbot, window.back_button)  # changed her mind: the read-back again
    assert "对，提交" in [b.text() for b in form.buttons]
    _click(qtbot, _button(form, "不对，改一下"))
    _click(qtbot, form.answer_buttons["subsidy_type"])
    _click(qtbot, _button(form, "农机购置补贴"))
    assert form.form.step.field.id == "machine"  # her change brings in the machine, asked before the read-back
    _click(qtbot, _button(form, "拖拉机"))
    assert [b.text() for b in form.answer_buttons.values()] == [
        "补贴种类：农机购置补贴",
        "农机：拖拉机",
        "联系电话：139 1234 5678",
    ]
