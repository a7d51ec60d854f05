"""录音 through the real widgets: a volunteer signs in, picks a screen's lines, records one into a
file-backed microphone (shared as the kiosk shares its one microphone), hears it back and keeps it."""

import hashlib

import numpy as np
import pyloudnorm
import pytest
from PySide6.QtCore import QSize

from kiosk.app.backend import Backend
from kiosk.app.recording import NO_SPEECH
from kiosk.config import load_config
from kiosk.ui.screens.recording import RECORD, RECORD_LINE, VOICE
from kiosk.ui.shell import build_shell, render
from kiosk.voice import audio
from kiosk.voice.microphone import FileMicrophone, SharedMicrophone
from kiosk.voice.pack import VoicePack
from tests.helpers.villagers import Voices, write_wav
from tests.unit.ui.test_service_flow import _click


@pytest.fixture
def microphone():
    return FileMicrophone(realtime=False)  # speech as fast as it is read; silence at the pace of real time


@pytest.fixture
def kiosk(qapp, store, microphone):
    store.volunteers.add("李明", "135790")
    shared = SharedMicrophone(lambda: microphone)
    shell = build_shell(qapp, dpi=102, backend=Backend.over(store), microphone=shared.open)
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def sign_in(kiosk, qtbot) -> None:
    _click(qtbot, kiosk.window.staff_button)
    for key in "135790":
        _click(qtbot, kiosk.staff.pin.keys[key])
    _click(qtbot, kiosk.staff.pin.ok)
    qtbot.waitUntil(lambda: kiosk.staff.operator is not None, timeout=5_000)


def said(tmp_path, text: str, name: str) -> str:
    """A volunteer saying ``text`` (espeak-ng's Mandarin standing in), as a 16 kHz WAV file."""
    pcm = Voices(tmp_path / "voices").pcm(text, "sit/cmn-Latn-pinyin", 130, 50, 35, 1)
    return write_wav(tmp_path / f"{name}.wav", pcm)


def take(kiosk, qtbot, microphone, wav=None):
    """开始, (say it), 停止: as the volunteer does."""
    line = kiosk.voice.recording.line
    _click(qtbot, line.start_button)
    assert kiosk.voice.recording.recorder.recording and line.start_button.text() == "停止"
    if wav is not None:
        microphone.say(wav)
        qtbot.waitUntil(lambda: line.meter.peak > 0.5, timeout=5_000)  # the meter shows her voice
    else:
        qtbot.wait(600)  # a quiet room for a moment
    _click(qtbot, line.start_button)


def test_a_volunteer_records_a_line_hears_it_back_and_keeps_it_in_the_pack(kiosk, qtbot, microphone, tmp_path):
    sign_in(kiosk, qtbot)
    _click(qtbot, kiosk.staff.menu.voice_button)
    voice = kiosk.voice
    assert kiosk.navigator.current == VOICE
    qtbot.waitUntil(lambda: "已录 0/" in voice.screen.summary.text(), timeout=10_000)
    _click(qtbot, voice.screen.record_button)
    recording = voice.recording
    qtbot.waitUntil(lambda: bool(recording.list.buttons), timeout=10_000)
    assert kiosk.navigator.current == RECORD
    first = recording.list.buttons[0]
    assert first.text().startswith("首页 ")  # the screens in the order a villager meets them
    missing = int(first.text().split()[-1])
    _click(qtbot, first)
    assert kiosk.navigator.current == RECORD_LINE
    line_screen = recording.line
    home = next(t for t in kiosk.voice.recording_desk.to_record() if t.group == "home")
    line = home.missing[0]  # the first still to record
    assert line_screen.sentence.text() == f"「{line.text}」"
    assert kiosk.window.step.text() == f"首页 第 1/{missing} 句"
    assert not line_screen.keep_button.isVisible()  # nothing to keep before a take

    played = []
    recording.player.played.connect(lambda path: played.append(path.read_bytes()))
    wav = said(tmp_path, line.text, "take")
    take(kiosk, qtbot, microphone, wav)
    qtbot.waitUntil(lambda: line_screen.status.text().startswith("录好了"), timeout=10_000)
    assert line_screen.start_button.text() == "重录" and line_screen.keep_button.isVisible()
    assert played, "the take is played back at once"
    kept, rate = audio.read_bytes(played[-1])
    raw, _ = audio.read(wav)
    assert len(kept) / rate < len(raw) / rate - 0.5  # the silence around it trimmed
    loudness = pyloudnorm.Meter(rate, block_size=0.4).integrated_loudness(kept.astype(np.float64))
    assert loudness == pytest.approx(audio.TARGET_LUFS, abs=1.0)

    with qtbot.waitSignal(recording.pack_changed, timeout=10_000):
        _click(qtbot, line_screen.keep_button)
    pack = VoicePack.open(load_config().voice.pack_dir())
    recorded = pack.recordings[line.key]
    assert recorded.speaker == "李明" and recorded.text == line.text
    assert recorded.sha256 == hashlib.sha256(played[-1]).hexdigest()  # what she heard is what is kept
    assert pack.clip(line) is not None and pack.problems() == []
    assert kiosk.window.step.text() == f"首页 第 2/{missing} 句"
    assert line_screen.status.text().startswith("保存好了。")


def test_a_take_with_no_speech_is_not_kept_and_she_records_again(kiosk, qtbot, microphone, tmp_path):
    sign_in(kiosk, qtbot)
    kiosk.voice.open()
    kiosk.voice.recording.open()
    recording = kiosk.voice.recording
    qtbot.waitUntil(lambda: bool(recording.list.buttons), timeout=10_000)
    _click(qtbot, recording.list.buttons[0])
    take(kiosk, qtbot, microphone)
    line_screen = recording.line
    qtbot.waitUntil(lambda: line_screen.status.text() == NO_SPEECH, timeout=10_000)
    assert not line_screen.keep_button.isVisible() and line_screen.start_button.text() == "开始"
    take(kiosk, qtbot, microphone, said(tmp_path, "您好", "again"))
    qtbot.waitUntil(lambda: line_screen.keep_button.isVisible(), timeout=10_000)
    _click(qtbot, line_screen.skip_button)  # not this one after all: nothing is kept
    assert not VoicePack.open(load_config().voice.pack_dir()).recordings


def test_leaving_mid_take_ends_it_and_drops_what_it_heard(kiosk, qtbot, microphone, tmp_path):
    sign_in(kiosk, qtbot)
    kiosk.voice.recording.open()
    recording = kiosk.voice.recording
    played = []
    recording.player.played.connect(played.append)
    qtbot.waitUntil(lambda: bool(recording.list.buttons), timeout=10_000)
    _click(qtbot, recording.list.buttons[0])
    _click(qtbot, recording.line.start_button)
    microphone.say(said(tmp_path, "您好", "left"))
    qtbot.waitUntil(lambda: recording.line.meter.peak > 0.5, timeout=5_000)
    _click(qtbot, kiosk.window.back_button)
    qtbot.waitUntil(lambda: not recording.recorder.recording, timeout=5_000)
    qtbot.wait(300)
    assert kiosk.navigator.current == RECORD and played == []
    _click(qtbot, recording.list.buttons[0])
    assert not recording.line.keep_button.isVisible()


def test_no_microphone_is_said_in_plain_words(qapp, qtbot, store):
    store.volunteers.add("李明", "135790")
    shell = build_shell(qapp, dpi=102, backend=Backend.over(store))
    render(shell, "home", QSize(1920, 1080))
    try:
        sign_in(shell, qtbot)
        shell.voice.recording.open()
        qtbot.waitUntil(lambda: bool(shell.voice.recording.list.buttons), timeout=10_000)
        _click(qtbot, shell.voice.recording.list.buttons[0])
        _click(qtbot, shell.voice.recording.line.start_button)
        qtbot.waitUntil(lambda: "麦克风" in shell.voice.recording.line.status.text(), timeout=5_000)
        assert shell.voice.recording.line.start_button.text() == "开始"
    finally:
        shell.shutdown()
        shell.window.close()


@pytest.mark.parametrize("screen", ["录音", "教命令"])
def test_a_microphone_that_will_not_open_is_said_in_plain_words_the_device_message_only_logged(
    qapp, qtbot, store, caplog, screen
):
    """The real device path (PortAudio): on this machine, and on a kiosk with the microphone unplugged,
    there is no input device at all."""
    from kiosk.voice.microphone import NO_MICROPHONE, Microphone, MicrophoneUnavailable

    try:
        Microphone().close()
        pytest.skip("this machine has a microphone")
    except MicrophoneUnavailable:
        pass
    store.volunteers.add("李明", "135790")
    shell = build_shell(qapp, dpi=102, backend=Backend.over(store), microphone=SharedMicrophone(Microphone).open)
    render(shell, "home", QSize(1920, 1080))
    try:
        sign_in(shell, qtbot)
        if screen == "录音":
            shell.voice.recording.open()
            qtbot.waitUntil(lambda: bool(shell.voice.recording.list.buttons), timeout=10_000)
            _click(qtbot, shell.voice.recording.list.buttons[0])
            status, start = shell.voice.recording.line.status, shell.voice.recording.line.start_button
        else:
            status, start = _teaching_say_screen(shell, qtbot)
        caplog.clear()
        _click(qtbot, start)
        qtbot.waitUntil(lambda: status.text() != "" and "麦克风" in status.text(), timeout=5_000)
        assert status.text() == NO_MICROPHONE  # no English, no device number
        assert any("would not open" in r.getMessage() for r in caplog.records)  # what PortAudio said: logged
    finally:
        shell.shutdown()
        shell.window.close()


def _teaching_say_screen(shell, qtbot):
    """教命令 as far as its 开始: herself as the speaker, agreed, 返回 chosen."""
    _click(qtbot, shell.staff.menu.voice_button)
    _click(qtbot, shell.voice.screen.teach_button)
    teaching = shell.voice.teaching
    _click(qtbot, teaching.who.agree_button)
    qtbot.waitUntil(lambda: bool(teaching.commands.buttons), timeout=5_000)
    from tests.unit.ui.test_teaching import button

    _click(qtbot, button(qtbot, teaching.commands, "返回"))
    return teaching.say.status, teaching.say.start_button


def test_the_station_name_to_record_is_the_one_home_shows(qapp, qtbot, store, microphone):
    from kiosk.config import Config
    from kiosk.voice.planner import station_registry

    store.volunteers.add("李明", "135790")
    config = Config(station_name="青石村便民服务站")
    shell = build_shell(
        qapp, config, dpi=102, backend=Backend.over(store), microphone=SharedMicrophone(lambda: microphone).open
    )
    render(shell, "home", QSize(1920, 1080))
    try:
        assert shell.window.title.text() == "青石村便民服务站"
        sign_in(shell, qtbot)
        shell.voice.recording.open()
        qtbot.waitUntil(lambda: bool(shell.voice.recording.list.buttons), timeout=10_000)
        _click(qtbot, shell.voice.recording.list.buttons[0])  # 首页's lines, the station's name first
        assert shell.voice.recording.line.sentence.text() == "「青石村便民服务站」"
        [home] = [t for t in shell.voice.recording_desk.to_record() if t.group == "home"]
        assert "村级便民服务站" not in {line.text for line in home.missing}
    finally:
        shell.shutdown()
        shell.window.close()
    assert station_registry(station="青石村便民服务站").get("station.name").text == "青石村便民服务站"  # said as shown
