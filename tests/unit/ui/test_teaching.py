"""教命令 and 删除声音 through the real widgets, over a real store and a file-backed microphone."""

import json

import pytest
from PySide6.QtCore import QSize

from kiosk.app.backend import Backend
from kiosk.ui.paged_buttons import MORE
from kiosk.ui.screens.teaching import TEACH, TEACH_REMOVE, TEACH_SAY, TEACH_WHO
from kiosk.ui.shell import build_shell, render
from kiosk.voice.microphone import FileMicrophone, SharedMicrophone
from tests.helpers.villagers import TEACHING, Voices, write_wav
from tests.unit.ui.test_recording import sign_in
from tests.unit.ui.test_service_flow import _click

MANDARIN = "sit/cmn-Latn-pinyin"


@pytest.fixture
def microphone():
    return FileMicrophone(realtime=False)


@pytest.fixture
def kiosk(qapp, store, microphone):
    store.volunteers.add("李明", "135790")
    shell = build_shell(
        qapp, dpi=102, backend=Backend.over(store), microphone=SharedMicrophone(lambda: microphone).open
    )
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def sayings(tmp_path, text: str) -> list:
    voices = Voices(tmp_path / "voices")
    return [
        write_wav(tmp_path / f"{text}-{n}.wav", voices.pcm(text, MANDARIN, speed, pitch, snr, n))
        for n, (speed, pitch, snr) in enumerate(TEACHING[:3])
    ]


def button(qtbot, screen, label: str):
    """The command's button, turning 还有别的 until it shows."""
    for _ in range(4):
        found = [b for b in screen.buttons if b.text().split()[0] == label]
        if found:
            return found[0]
        _click(qtbot, next(b for b in screen.buttons if b.text() == MORE))
    raise AssertionError(f"no button for {label}")


def say_each(kiosk, qtbot, microphone, wavs, already: int = 0) -> None:
    say = kiosk.voice.teaching.say
    for n, wav in enumerate(wavs, start=already + 1):
        _click(qtbot, say.start_button)
        microphone.say(wav)
        qtbot.waitUntil(lambda: say.meter.peak > 0.5, timeout=5_000)
        _click(qtbot, say.start_button)
        qtbot.waitUntil(lambda n=n: kiosk.window.step.text() == f"已说好 {n} 遍", timeout=10_000)


def test_a_villager_agrees_says_a_command_three_times_and_it_is_taught(kiosk, qtbot, microphone, store, tmp_path):
    taught = []
    kiosk.voice.taught.connect(lambda: taught.append(True))
    sign_in(kiosk, qtbot)
    _click(qtbot, kiosk.staff.menu.voice_button)
    _click(qtbot, kiosk.voice.screen.teach_button)
    teaching = kiosk.voice.teaching
    assert kiosk.navigator.current == TEACH_WHO and teaching.who.name.text() == "李明"  # herself, unless changed
    teaching.who.name.clear()
    _click(qtbot, teaching.who.agree_button)
    assert kiosk.navigator.current == TEACH_WHO and "名字" in teaching.who.message.text()
    teaching.who.name.setText("张秀英")  # typed with the input method
    _click(qtbot, teaching.who.agree_button)
    assert kiosk.navigator.current == TEACH
    qtbot.waitUntil(lambda: bool(teaching.commands.buttons), timeout=5_000)
    assert teaching.commands.speaker.text().startswith("说话人：张*英（已同意）")
    assert [b.text() for b in teaching.commands.buttons][:2] == ["社保查询 0", "补贴申领 0"]
    assert list(teaching.labels) == kiosk.voice.teaching_desk.commands()  # every teachable command, and no other

    _click(qtbot, button(qtbot, teaching.commands, "返回"))
    assert kiosk.navigator.current == TEACH_SAY and teaching.say.command.text() == "请说：「返回」"
    wavs = sayings(tmp_path, "返回")
    say_each(kiosk, qtbot, microphone, wavs[:2])
    assert not teaching.say.save_button.isVisible()  # three sayings at least
    _click(qtbot, teaching.say.start_button)  # a saying with nothing said is not counted
    qtbot.wait(600)
    _click(qtbot, teaching.say.start_button)
    qtbot.waitUntil(lambda: "听不到说话" in teaching.say.status.text(), timeout=10_000)
    assert kiosk.window.step.text() == "已说好 2 遍"
    say_each(kiosk, qtbot, microphone, wavs[2:], already=2)
    _click(qtbot, teaching.say.save_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == TEACH, timeout=10_000)
    assert teaching.commands.message.text() == "「返回」教好了：3 遍。"
    assert store.voices.counts() == {"back": 3} and taught == [True]
    assert {t.speaker for t in store.voices.all()} == {"张秀英"}
    [details] = store.database.query("SELECT details FROM audit WHERE event = 'voice_taught'")
    assert json.loads(details[0])["volunteer"] == "李明"  # who took the consent
    qtbot.waitUntil(lambda: button(qtbot, teaching.commands, "返回").text() == "返回 3", timeout=5_000)

    # The same sayings taught as 首页: the kiosk could not tell the two apart, and says so.
    _click(qtbot, button(qtbot, teaching.commands, "首页"))
    say_each(kiosk, qtbot, microphone, wavs)
    _click(qtbot, teaching.say.save_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == TEACH, timeout=10_000)
    assert "听起来像「返回」" in teaching.commands.message.text()


def test_removing_a_speaker_removes_all_their_voice_and_nobody_elses(kiosk, qtbot, store, tmp_path):
    from kiosk.voice.features import read_wav
    from kiosk.voice.teaching import teach

    pcm = [read_wav(path) for path in sayings(tmp_path, "对")]
    teach(store.voices, "yes", pcm, "张秀英", True, ["yes"])
    teach(store.voices, "yes", pcm, "王建国", True, ["yes"])
    sign_in(kiosk, qtbot)
    _click(qtbot, kiosk.staff.menu.voice_button)
    _click(qtbot, kiosk.voice.screen.remove_button)
    remove = kiosk.voice.teaching.remove
    assert kiosk.navigator.current == TEACH_REMOVE
    qtbot.waitUntil(lambda: len(remove.buttons) == 2, timeout=5_000)
    assert [b.text() for b in remove.buttons] == ["张*英 3", "王*国 3"]  # masked: someone may be watching
    _click(qtbot, remove.buttons[0])
    assert remove.confirm_button.isVisible() and "删除「张*英」的全部 3 段声音吗" in remove.message.text()
    _click(qtbot, remove.cancel_button)
    assert len(store.voices.all()) == 6
    _click(qtbot, remove.buttons[0])
    _click(qtbot, remove.confirm_button)
    qtbot.waitUntil(lambda: remove.message.text() == "删除了 3 段声音。", timeout=5_000)
    assert {t.speaker for t in store.voices.all()} == {"王建国"}
    assert [b.text() for b in remove.buttons] == ["王*国 3"]
