"""Spoken commands acting on the real window; listening pauses while the kiosk speaks."""

import pytest
from PySide6.QtCore import QSize

from kiosk.app.session import Person
from kiosk.ui.shell import build_shell, render
from kiosk.ui.speaker import QtSpeaker
from kiosk.ui.voice_control import VoiceControl
from kiosk.voice.lines import text_of
from kiosk.voice.matcher import Intent
from kiosk.voice.tts import Synthesizer

SELLER = Person("张秀英", "410102195001012343", "card")


class RecordingListener:
    def __init__(self):
        self.contexts = []

    def listen(self, context):
        self.contexts.append(context)


@pytest.fixture
def voiced(qapp, tmp_path):
    synthesizer = Synthesizer(tmp_path / "speech")
    synthesizer.start()
    speaker = QtSpeaker(synthesizer)
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    listener = RecordingListener()
    control = VoiceControl(shell.window, shell.navigator, speaker, listener, shell.services.offer)
    render(shell, "home", QSize(1920, 1080))
    yield shell, control, listener, speaker
    speaker.stop()
    synthesizer.close()
    shell.window.close()


def test_saying_a_service_opens_it_and_the_everywhere_commands_work(voiced):
    shell, control, _, _ = voiced
    control.heard.emit(Intent("subsidy", "补贴"))
    assert shell.navigator.current == "service.subsidy"
    control.heard.emit(Intent("volunteer", "叫志愿者"))
    assert shell.window.notice.isVisible()
    control.heard.emit(Intent("back", "返回"))
    assert shell.navigator.at_home


def test_listening_stops_while_speaking_and_resumes_with_the_screens_commands(voiced, qtbot):
    shell, _, listener, speaker = voiced
    with qtbot.waitSignal(speaker.started, timeout=10_000):
        shell.window.speak_current()
    assert listener.contexts[-1] is None
    speaker.finished.emit()  # the end of playback (the player's own end is Qt's to deliver)
    assert listener.contexts[-1] == "home"
    shell.navigator.open_service("guides")
    assert listener.contexts[-1] is None


def test_voice_hint_and_listening_mark_follow_the_voice_state(voiced):
    shell, control, _, _ = voiced
    home = shell.window.screens["home"]
    control.state.emit("unavailable")
    assert not home.voice_hint.isVisible() and "直接说" not in home.prompt
    control.state.emit("listening")
    assert home.voice_hint.isVisible() and shell.window.listening.isVisible()
    assert "直接说" in home.prompt
    control.state.emit("paused")
    assert not shell.window.listening.isVisible()


def test_saying_back_in_a_form_steps_back_one_question_as_the_button_does(voiced):
    shell, control, _, _ = voiced
    shell.services.begin(shell.catalogue.service("subsidy"))
    shell.services.form.answered.emit("farmland_protection")
    assert shell.window.step.text() == "第 2 步 / 共 4 步"
    control.heard.emit(Intent("back", "返回"))
    assert shell.navigator.current == "form" and shell.window.step.text() == "第 1 步 / 共 4 步"
    shell.window.back_button.click()  # pressing it from the first question leaves the form, and so does saying it
    assert shell.navigator.current != "form"
    shell.services.begin(shell.catalogue.service("subsidy"))
    control.heard.emit(Intent("back", "返回"))
    assert shell.navigator.current != "form"
    control.heard.emit(Intent("home", "首页"))
    assert shell.navigator.at_home and shell.services.form.form is None  # 首页 wipes the form, as the button does


def test_the_product_named_with_sell_is_offered_first_on_the_listing_form(voiced):
    """卖鸡蛋 at home: the listing opens, and at its product question 鸡蛋禽类 comes first, said as such."""
    shell, control, _, _ = voiced
    shell.session.check_in(SELLER)  # the seller's card
    control.heard.emit(Intent("farm_listing", "卖", named="鸡蛋", field="product"))
    assert shell.navigator.current == "service.farm_listing"
    shell.window.screens["service.farm_listing"].start_button.click()
    form = shell.services.form
    assert shell.navigator.current == "form" and form.buttons[0].text() == "鸡蛋禽类"
    assert form.question.text() == "您要卖什么？您说的「鸡蛋」是鸡蛋禽类。"
    assert text_of(form.spoken_text()).endswith("您说的「鸡蛋」是鸡蛋禽类。")
    shell.window.go_home()  # she went away: the next villager is offered nothing
    shell.session.check_in(SELLER)
    control.heard.emit(Intent("farm_listing", "卖农产品"))
    shell.window.screens["service.farm_listing"].start_button.click()
    assert form.buttons[0].text() == "蔬菜" and form.question.text() == "您要卖什么？"


def test_a_named_thing_that_is_no_choice_offers_nothing():
    from kiosk.services.form import FormSession, choice_named
    from kiosk.services.reference import reference_files

    service = reference_files().catalogue().service("farm_listing")
    products = service.fields[0].choices
    assert [choice_named(products, n).label for n in ("土豆", "红薯", "土鸡蛋", "水果", "鸡")] == [
        "蔬菜",
        "粮食",
        "鸡蛋禽类",  # the longest word found wins: 鸡蛋 over 鸡
        "水果",
        "鸡蛋禽类",
    ]
    form = FormSession(service)
    assert form.offer("product", "拖拉机") is None and form.offered == {}
    assert form.offer("phone", "土豆") is None  # only a choice question is offered a thing
