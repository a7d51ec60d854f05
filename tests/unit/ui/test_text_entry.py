"""A text step on a touch screen: the station's common answers first, then the on-screen keyboard's Pinyin.

Through the real widgets: the keys and the characters Pinyin offers are tapped on Qt Virtual Keyboard
itself, in its QQuickWidget, and what they type reaches the request kept in the store.
"""

from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize, QStandardPaths

from kiosk.app.backend import Backend
from kiosk.config import Config, FormConfig
from kiosk.ui.keyboard import KEY_GAP_MM, ROWS
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import build_shell, render
from kiosk.ui.text_entry import OWN_WORDS
from kiosk.ui.theme import TARGET_MM
from tests.helpers.keyboard import candidates, face, keys, letter_keys, tap_candidate, tap_key, tap_letters
from tests.helpers.speech import RecordingSpeaker
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _click, _key_in

PHOTO = b"\xff\xd8 photo"


def _shell(qapp, store, devices, dpi: float, size: QSize):  # noqa: F811
    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=dpi, speaker=speaker, devices=devices, backend=Backend.over(store))
    shell.speaker = speaker
    render(shell, "home", size)
    return shell


@pytest.fixture
def kiosk(qapp, store, devices):  # noqa: F811
    shell = _shell(qapp, store, devices, 102, QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def _at_pickup(kiosk, qtbot, devices):  # noqa: F811
    """A farm listing by a checked-in seller, up to 取货地点 (the answers before it are not what is tested)."""
    _click(qtbot, kiosk.window.screens["home"].service_buttons["farm_listing"])
    devices.simulated_reader.place_card()
    qtbot.waitUntil(lambda: kiosk.navigator.current == "checkin.done", timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    form = kiosk.services.form
    for answer in ("fruit", PHOTO, "jin", 30, 3.5):
        form.form.answer(answer)
    form.show_step()
    assert form.form.step.field.id == "pickup" and kiosk.navigator.current == FORM
    return form


def _submit(kiosk, qtbot, store):
    form = kiosk.services.form
    _key_in(qtbot, form, "13912345678")
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    [item] = store.outbox.items()
    return store.outbox.get(item.id, with_payload=True).payload


def test_the_station_s_common_answers_are_offered_first_and_one_tap_answers(kiosk, qtbot, store, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    assert [b.text() for b in form.buttons] == ["村委会", "服务站", "自己家", OWN_WORDS]
    assert not kiosk.window.typing.keyboard.view().isVisible()
    _click(qtbot, _button(form, "服务站"))
    assert form.form.step.field.id == "phone"
    assert _submit(kiosk, qtbot, store)["pickup"] == "服务站"


def test_back_from_the_keyboard_offers_the_common_answers_again(kiosk, qtbot, store, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))  # tapped by mistake: she wanted 村委会
    qtbot.waitUntil(lambda: keyboard.view().isVisible(), timeout=5_000)
    _click(qtbot, kiosk.window.back_button)
    assert form.form.step.field.id == "pickup"
    assert [b.text() for b in form.buttons] == ["村委会", "服务站", "自己家", OWN_WORDS]
    _click(qtbot, kiosk.window.back_button)  # and 返回 again is the question before
    assert form.form.step.field.id == "price"


def test_back_at_her_own_earlier_words_goes_a_question_back_not_round_the_keyboard(kiosk, qtbot, store, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    _click(qtbot, _button(form, OWN_WORDS))
    form.line.setText("东口")  # as typed on the keyboard
    _click(qtbot, _button(form, "确定"))
    assert form.form.step.field.id == "phone"
    _click(qtbot, kiosk.window.back_button)  # back at 取货地点: the keyboard opens on her 东口
    assert form.form.step.field.id == "pickup" and form.line.text() == "东口"
    _click(qtbot, kiosk.window.back_button)  # and 返回 goes on back, as on every question
    assert form.form.step.field.id == "price"


def test_pinyin_offers_simplified_characters_only(kiosk, qtbot, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    tap_letters(qtbot, keyboard, "men")  # the engine offers 們 門 悶 among its first ten
    qtbot.waitUntil(lambda: "门" in candidates(keyboard), timeout=5_000)
    offered = "".join(candidates(keyboard))
    assert "門" not in offered and "們" not in offered and "们" in offered
    offered.encode("gb2312")  # every one offered is a simplified character


def test_the_keyboard_types_a_chinese_word_from_pinyin_into_the_request(kiosk, qtbot, store, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    qtbot.waitUntil(lambda: keyboard.view().isVisible(), timeout=5_000)
    assert [b.text() for b in form.buttons] == ["确定"]
    assert kiosk.speaker.said[-1] == "请用下面的键盘写，拼音打好后点要的字，写好了点「确定」。"
    tap_letters(qtbot, keyboard, "cun")
    qtbot.waitUntil(lambda: "村" in candidates(keyboard), timeout=5_000)
    tap_letters(qtbot, keyboard, "kou")
    tap_candidate(qtbot, keyboard, "村口")
    qtbot.waitUntil(lambda: form.line.text() == "村口", timeout=5_000)
    _click(qtbot, _button(form, "确定"))
    assert form.form.step.field.id == "phone"
    assert _submit(kiosk, qtbot, store)["pickup"] == "村口"


def test_an_empty_or_too_long_answer_is_said_in_plain_words_and_stays_as_typed(kiosk, qtbot, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    _click(qtbot, _button(form, OWN_WORDS))
    _click(qtbot, _button(form, "确定"))
    assert form.error.isVisible() and form.error.text() == "请写上取货地点，再点「确定」。"
    assert kiosk.speaker.said[-1] == "请写上取货地点，再点「确定」。"
    form.line.setText("村" * 41)
    _click(qtbot, _button(form, "确定"))
    words = "取货地点最多写40个字，现在写了41个字，请删掉一些，再点「确定」。"
    assert form.error.text() == words and kiosk.speaker.said[-1] == words
    assert "字段" not in words and "pickup" not in words
    assert form.line.text() == "村" * 41 and form.form.step.field.id == "pickup"


def test_a_field_without_common_answers_opens_at_the_keyboard(qapp, qtbot):
    config = Config(form=FormConfig(common_answers=()))
    shell = build_shell(qapp, config, dpi=102)
    from kiosk.ui.examples import _form_at

    render(shell, "home", QSize(1920, 1080))
    _form_at(shell, "farm_listing", ["fruit", PHOTO, "jin", 30, 3.5])
    form = shell.services.form
    assert [b.text() for b in form.buttons] == ["确定"]
    qtbot.waitUntil(lambda: shell.window.typing.keyboard.view().isVisible(), timeout=5_000)
    shell.window.close()


# (width, height, dpi, the least key and character height): a 21.5-inch panel keeps the kiosk's
# buttons' TARGET_MM; on a 10-inch one the keyboard shares the screen and a fingertip's 9 mm is kept.
PANELS = [(1920, 1080, 102, TARGET_MM), (1280, 800, 149, 9.0)]


def _drawn(item) -> QRectF:
    """Where a key or an offered character is drawn in the keyboard, in pixels."""
    key = face(item)
    return key.mapRectToScene(QRectF(0, 0, key.width(), key.height()))


@pytest.fixture(params=PANELS, ids=lambda p: f"{p[0]}x{p[1]}@{p[2]}dpi")
def panel(request, qapp, store, devices):  # noqa: F811
    width, height, dpi, least_mm = request.param
    shell = _shell(qapp, store, devices, dpi, QSize(width, height))
    yield shell, least_mm
    shell.shutdown()
    shell.window.close()


def test_keys_and_the_characters_offered_are_fingertip_keys_on_both_panels(panel, qtbot, devices):  # noqa: F811
    shell, least_mm = panel
    form = _at_pickup(shell, qtbot, devices)
    keyboard = shell.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    tap_letters(qtbot, keyboard, "cun")
    qtbot.waitUntil(lambda: "村" in candidates(keyboard), timeout=5_000)
    theme, view = shell.theme, keyboard.view()
    least = least_mm * theme.px_per_mm
    shown, offered = keys(keyboard), candidates(keyboard)
    assert {"删除", "确定"} <= shown.keys() and len(letter_keys(keyboard)) == 26 and "村" in offered
    whole = QRectF(0, 0, view.width(), view.height())
    for item in [*shown.values(), *offered.values()]:
        drawn = _drawn(item)
        assert drawn.height() >= least and drawn.width() >= least
        assert item in offered.values() or whole.contains(drawn)  # the characters offered scroll sideways
    row = sorted((drawn.left(), drawn.right()) for drawn in map(_drawn, offered.values()))
    assert min(right[0] - left[1] for left, right in pairwise(row)) >= theme.mm(KEY_GAP_MM) - 1
    assert min(_drawn(shown["删除"]).width(), _drawn(shown["确定"]).width()) >= 2 * _drawn(shown["a"]).width()
    # The question gives way to the field's name beside the box only where the keys need the room.
    assert form.question.isVisible() == (least_mm == TARGET_MM)
    assert view.height() <= keyboard.largest_height() and ROWS == 4


def test_delete_takes_back_the_letters_being_typed_then_the_characters(kiosk, qtbot, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    tap_letters(qtbot, keyboard, "cun")
    tap_candidate(qtbot, keyboard, "村")
    tap_letters(qtbot, keyboard, "kou")
    qtbot.waitUntil(lambda: "口" in candidates(keyboard), timeout=5_000)
    for _ in "kou":
        tap_key(qtbot, keyboard, "删除")
    qtbot.waitUntil(lambda: "口" not in candidates(keyboard), timeout=5_000)  # the letters of kou taken back
    assert form.line.text() == "村"
    tap_key(qtbot, keyboard, "删除")
    qtbot.waitUntil(lambda: form.line.text() == "", timeout=5_000)


def test_the_keyboard_s_ok_answers_with_the_first_character_of_unfinished_pinyin(kiosk, qtbot, store, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    tap_letters(qtbot, keyboard, "cun")
    qtbot.waitUntil(lambda: "村" in candidates(keyboard), timeout=5_000)
    tap_key(qtbot, keyboard, "确定")
    qtbot.waitUntil(lambda: form.form.step.field.id == "phone", timeout=5_000)
    assert _submit(kiosk, qtbot, store)["pickup"] == "村"


def test_the_teaching_screen_takes_the_speaker_s_name_from_the_same_keyboard(qapp, qtbot):
    shell = build_shell(qapp, dpi=102)
    render(shell, "home", QSize(1920, 1080))
    voice = shell.voice
    voice.teaching.open()
    who = voice.teaching.who
    assert shell.navigator.current == who.screen_id
    keyboard = shell.window.typing.keyboard
    assert who.consent.isVisible() and not keyboard.view().isVisible()
    _click(qtbot, who.write_button)
    qtbot.waitUntil(lambda: keyboard.view().isVisible(), timeout=5_000)
    assert not who.consent.isVisible()
    who.name.clear()
    tap_letters(qtbot, keyboard, "chen")
    tap_candidate(qtbot, keyboard, "陈")
    qtbot.waitUntil(lambda: who.name.text() == "陈", timeout=5_000)
    _click(qtbot, who.write_button)  # 写好了: the consent again, and 同意
    assert who.consent.isVisible() and not keyboard.view().isVisible()
    with qtbot.waitSignal(who.agreed) as agreed:
        _click(qtbot, who.agree_button)
    assert agreed.args == ["陈"]
    shell.window.close()


def test_pinyin_keeps_nothing_typed_on_disk(kiosk, qtbot, devices):  # noqa: F811
    form = _at_pickup(kiosk, qtbot, devices)
    keyboard = kiosk.window.typing.keyboard
    _click(qtbot, _button(form, OWN_WORDS))
    tap_letters(qtbot, keyboard, "cun")
    tap_candidate(qtbot, keyboard, "村")
    config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    learned = Path(config) / "qtvirtualkeyboard" / "pinyin" / "usr_dict.dat"
    assert learned.is_dir()  # where the user dictionary would be learned into: nothing can be written there
