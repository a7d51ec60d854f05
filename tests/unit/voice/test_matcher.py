"""Grammar building with the real jieba, and the matcher on how villagers really say things."""

import json

import pytest

from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.voice.grammar import build_grammar
from kiosk.voice.matcher import IntentMatcher, spoken_number
from kiosk.voice.phrases import PhraseError, load_phrases, matchers

PHRASES = load_phrases(load_catalogue(offline_cache_dir()))

# A stand-in for a model's vocabulary: common words, but not every compound.
VOCABULARY = {"社保", "查询", "补贴", "申领", "养老", "认证", "农产品", "办事", "指南", "返回", "首页"}
VOCABULARY |= {"对", "是", "确认", "不对", "取消"}
VOCABULARY |= {"再说", "一遍", "志愿者"}
VOCABULARY |= set("卖农产品叫找查领申请种粮刷脸资格怎么帮忙我来人回去上一步主页没听清再次重复的好可以错了不要")


@pytest.mark.parametrize(
    ("heard", "context", "intent"),
    [
        ("社保查询", "home", "social_security"),
        ("我 想 查 一下 养老金", "home", "social_security"),
        ("嗯 那个 补贴", "home", "subsidy"),
        ("刷脸认证", "home", "pension_cert"),
        ("我 要 卖 菜", "home", "farm_listing"),
        ("办事 指南", "home", "guides"),
        ("涉保", "home", "social_security"),  # 社保 with a flat accent: she→se
        ("饭回", "home", "back"),  # 返回 heard as fan hui
        ("叫 志愿者", "home", "volunteer"),
        ("再说一遍", "confirm", "repeat"),
        ("对", "confirm", "yes"),
        ("是 的", "confirm", "yes"),
        ("不对", "confirm", "no"),
        ("不是", "confirm", "no"),
        ("取消", "confirm", "no"),
        ("首页", "confirm", "home"),
    ],
)
def test_ways_villagers_say_things(heard, context, intent):
    match = IntentMatcher(PHRASES[context]).match(heard)
    assert match is not None and match.name == intent


@pytest.mark.parametrize("heard", ["", "[unk]", "[unk] [unk]", "嗯", "今天 天气 不错", "不查社保"])
def test_noise_and_refusals_are_no_command(heard):
    assert IntentMatcher(PHRASES["home"]).match(heard) is None


def test_numbers_for_quantities():
    assert spoken_number("三十五") == 35
    assert spoken_number("两百 斤") == 200
    assert spoken_number("十二") == 12
    assert spoken_number("好了") is None


def test_grammar_keeps_words_the_model_knows_and_reports_the_rest():
    grammar = build_grammar(["社保查询", "查养老金", "涅槃重生"], VOCABULARY.__contains__)
    assert "社保 查询" in grammar.phrases
    assert "涅槃重生" in grammar.left_out
    assert grammar.as_json().endswith('"[unk]"]') and "社保" in grammar.as_json()


def test_every_home_phrase_survives_a_vocabulary_of_single_characters():
    characters = {c for phrases in PHRASES["home"].values() for p in phrases for c in p}
    grammar = build_grammar([p for phrases in PHRASES["home"].values() for p in phrases], characters.__contains__)
    assert grammar.left_out == {}


def test_a_broken_template_is_refused_with_its_place():
    with pytest.raises(PhraseError, match=r"\[confirm\] yes"):
        load_phrases(load_catalogue(offline_cache_dir()), '[confirm]\nyes = "对"\n')


@pytest.mark.parametrize(
    ("heard", "intent", "named"),
    [
        ("卖土豆", "farm_listing", "土豆"),
        ("我有红薯要卖", "farm_listing", "红薯"),
        ("帮我卖点鸡蛋吧", "farm_listing", "鸡蛋"),
        ("我想把玉米卖了", "farm_listing", "玉米"),
        ("卖农产品", "farm_listing", None),
        ("年审", "pension_cert", None),
        ("认证养老金", "pension_cert", None),
        ("养老金认证", "pension_cert", None),
        ("我要认证一下养老金", "pension_cert", None),
        ("养老金年检", "pension_cert", None),
        ("查养老金", "social_security", None),
    ],
)
def test_selling_and_certification_said_any_common_way(heard, intent, named, capsys):
    from kiosk.cli import main

    assert main(["voice", "match", heard, "--screen", "home", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["intent"] == intent
    assert result.get("named") == named and result.get("field") == ("product" if named else None)


@pytest.mark.parametrize("heard", ["不卖了", "别卖", "不认证"])
def test_an_action_said_with_no_is_no_command(heard):
    assert matchers(PHRASES)["home"].match(heard) is None
