"""Conditional questions: a field asked only for some earlier answers, the same rule in the form and
in validation; and the form's memory of every answer (返回, the read-back's buttons). No Qt."""

import pytest

from kiosk.errors import InvalidInput
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import CatalogueError, load_catalogue
from kiosk.services.form import FormSession, typed
from kiosk.services.validation import InvalidAnswer, condition_problem, validate
from tests.helpers.offline_cache import edit_json

CATALOGUE = load_catalogue(offline_cache_dir())
SUBSIDY = CATALOGUE.service("subsidy")
PHONE = "13912345678"


def _fields(service):
    return {f.id: f for f in service.fields}


def test_the_elderly_allowance_asks_no_area_and_machinery_asks_the_machine_not_the_area():
    form = FormSession(SUBSIDY)
    assert form.step.label == "第 1 步 / 共 4 步"
    form.answer("elderly_allowance")
    assert (form.step.field.id, form.step.label) == ("phone", "第 2 步 / 共 3 步")
    form.answer(PHONE)
    assert [line.field.id for line in form.read_back()] == ["subsidy_type", "phone"]
    assert form.payload() == {"subsidy_type": "elderly_allowance", "phone": PHONE}
    form.back()
    form.back()
    form.answer("farm_machinery")
    assert (form.step.field.id, form.step.label) == ("machine", "第 2 步 / 共 4 步")
    form.answer("drone")
    assert form.step.field.id == "phone"


def test_back_keeps_every_answer_and_a_changed_choice_sends_only_what_applies():
    form = FormSession(SUBSIDY, own_phone=True)
    for answer in ("farmland_protection", 12.5, PHONE):
        form.answer(answer)
    assert form.step.field is None
    fields = _fields(SUBSIDY)
    seen = []
    while form.back():
        seen.append((form.step.field.id, form.answered(form.step.field)))
    assert seen == [("phone", PHONE), ("area_mu", 12.5), ("subsidy_type", "farmland_protection")]
    form.answer("farm_machinery")  # changed her mind: the area is kept, but not asked, shown or sent
    form.answer("tractor")
    assert form.step.field is fields["phone"] and form.answered(fields["phone"]) == PHONE
    form.answer(PHONE)
    assert form.payload() == {"subsidy_type": "farm_machinery", "machine": "tractor", "phone": PHONE}
    assert form.answers["area_mu"] == 12.5


def test_an_answer_opened_from_the_read_back_returns_there_asking_first_what_the_change_brings_in():
    form = FormSession(SUBSIDY)
    for answer in ("farmland_protection", 12.5, PHONE):
        form.answer(answer)
    form.open("area_mu")
    assert form.step.field.id == "area_mu"
    form.answer(20)
    assert form.step.field is None  # straight back, not through the phone again
    form.open("subsidy_type")
    form.answer("farm_machinery")
    assert form.step.field.id == "machine"  # new with her change: asked before the read-back
    form.answer("harvester")
    assert form.step.field is None
    form.open("phone")
    assert form.back() and form.step.field is None  # 返回 from an opened question: the read-back


def test_her_own_phone_is_shown_in_full_only_when_she_is_checked_in():
    for own, shown in ((True, PHONE), (False, "139****5678")):
        form = FormSession(SUBSIDY, own_phone=own)
        for answer in ("elderly_allowance", PHONE):
            form.answer(answer)
        assert form.read_back()[-1].value == shown


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"subsidy_type": "elderly_allowance", "area_mu": 3, "phone": PHONE}, "只在补贴种类是耕地地力保护补贴、稻谷"),
        ({"subsidy_type": "farm_machinery", "area_mu": 3, "phone": PHONE}, "area_mu"),
        ({"subsidy_type": "farmland_protection", "phone": PHONE}, "area_mu（面积）：必须填写"),
        ({"subsidy_type": "farm_machinery", "phone": PHONE}, "machine（农机）：必须填写"),
        ({"subsidy_type": "grain_producer", "area_mu": 3, "machine": "drone", "phone": PHONE}, "machine"),
    ],
)
def test_validation_follows_the_conditions_and_names_the_field_for_a_technician(payload, words):
    with pytest.raises(InvalidAnswer) as caught:
        validate(SUBSIDY, payload)
    assert words in caught.value.message
    assert condition_problem(SUBSIDY, payload) is not None  # the province's check agrees


def test_what_the_conditions_allow_passes_and_the_province_check_finds_nothing():
    for payload in (
        {"subsidy_type": "elderly_allowance", "phone": PHONE},
        {"subsidy_type": "farm_machinery", "machine": "other", "phone": PHONE},
        {"subsidy_type": "grain_producer", "area_mu": 3, "phone": PHONE},
    ):
        assert validate(SUBSIDY, payload) == payload
        assert condition_problem(SUBSIDY, payload | {"applicant": {}}) is None


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"phone": ["x"]}, "不是它前面的选择题"),  # a later field
        ({"area_mu": ["3"]}, "不是它前面的选择题"),  # not a choice
        ({"subsidy_type": ["lottery"]}, "没有选项「lottery」"),
        ({"subsidy_type": []}, "when 应写成"),
        (["subsidy_type"], "when 应写成"),
    ],
)
def test_a_condition_must_name_an_earlier_choice_and_its_real_values(cache, when, message):
    def change(data):
        fields = data["services"][1]["fields"]
        fields[2]["when"] = when  # the machine question
        fields[1].pop("when")

    edit_json(cache / "catalogue.json", change)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(cache)


def test_a_pushed_subsidy_list_without_a_type_a_condition_names_is_refused(cache):
    edit_json(cache / "subsidy_types.json", lambda d: d["items"].pop(1))  # no more 农机购置补贴
    with pytest.raises(CatalogueError, match="farm_machinery"):
        load_catalogue(cache)


def test_the_keypad_refuses_what_cannot_be_valid():
    fields = _fields(SUBSIDY) | _fields(CATALOGUE.service("farm_listing"))
    area, phone, quantity, price = fields["area_mu"], fields["phone"], fields["quantity"], fields["price"]
    assert typed(phone, "1391234567", "8") == ("13912345678", None)
    assert typed(phone, "13912345678", "9")[0] == "13912345678"  # a 12th digit
    assert typed(area, "2.", "点")[0] == "2." and typed(area, "2.5", "5")[0] == "2.5"  # a second point, 2 decimals
    assert typed(quantity, "30", "点")[0] == "30"  # a point in a whole number
    assert typed(area, "10000", "0")[0] == "10000"  # longer than the largest area
    assert typed(price, "3.5", "5") == ("3.55", None) and typed(price, "", "点") == ("0.", None)
    for entry, key in (("13912345678", "9"), ("2.", "点"), ("2.5", "5"), ("30", "点")):
        field = phone if entry.startswith("139") else (quantity if entry == "30" else area)
        assert typed(field, entry, key)[1]  # and she is told why
    assert typed(area, "2.5", "删") == ("2.", None)
    assert typed(price, "3", ".") == ("3.", None)  # a point typed as text (a guide's example) is the 点 key


def test_villager_words_name_no_field_and_say_what_to_do_next():
    from kiosk.voice.lines import build_registry, declared_lines
    from kiosk.voice.planner import SpeechPlanner

    planner = SpeechPlanner(build_registry(CATALOGUE, (), declared_lines()))
    cases = [
        ({"area_mu": 0}, "面积要在 0.1 到 10000 亩之间，请重新输入。"),
        ({"area_mu": 1.25}, "面积小数点后最多 1 位，请重新输入。"),
        ({"phone": "1380013800"}, "联系电话要填 11 位手机号码，1 开头，请重新输入。"),
        ({"phone": "12345678901"}, "联系电话不像手机号码：第二位应是 3 到 9，请重新输入。"),
        ({"phone": None}, "联系电话还没有填，请填上。"),
        ({"subsidy_type": "lottery"}, "补贴种类，请从给出的几项里点一项。"),
    ]
    good = {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": PHONE}
    for change, plain in cases:
        with pytest.raises(InvalidAnswer) as caught:
            validate(SUBSIDY, good | change)
        error = caught.value
        assert error.plain == plain and error.field.id not in error.plain and error.field.id in error.message
        assert planner.unkeyed(error.said) == []  # a voice pack can say it


def test_a_form_refuses_an_answer_when_it_is_finished():
    form = FormSession(SUBSIDY)
    for answer in ("elderly_allowance", PHONE):
        form.answer(answer)
    with pytest.raises(InvalidInput):
        form.answer("x")


def test_the_price_is_asked_per_the_unit_she_chose():
    form = FormSession(CATALOGUE.service("farm_listing"))
    fields = _fields(form.service)
    assert form.asked(fields["price"]) == ["每", "单位", "卖多少钱？"]  # before a unit: what the question is called
    form.answers["unit"] = "box"
    assert form.asked(fields["price"]) == ["每", "箱", "卖多少钱？"]
    assert form.asked(fields["pickup"]) == ["买家到哪里取货？"]


def test_a_unit_slot_needs_the_question_that_chooses_the_unit(cache):
    edit_json(cache / "catalogue.json", lambda d: d["services"][3]["fields"][3].pop("unit_from"))  # 数量
    edit_json(cache / "catalogue.json", lambda d: d["services"][3]["fields"][3].update(prompt="有多少{unit}？"))
    with pytest.raises(CatalogueError, match="没有 unit_from"):
        load_catalogue(cache)
