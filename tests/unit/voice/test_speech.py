"""Read-aloud with the real espeak-ng Mandarin voice, played (and interrupted) through Qt."""

import array
import math
import threading
import wave

import pytest
from PySide6.QtMultimedia import QMediaPlayer

from kiosk.ui.speaker import QtSpeaker
from kiosk.voice.normalize import for_speech
from kiosk.voice.tts import SpeechSettings, Synthesizer


@pytest.fixture
def synthesizer(tmp_path):
    synth = Synthesizer(tmp_path / "speech")
    synth.start()
    yield synth
    synth.close()


def _render(synth, text):
    done, result = threading.Event(), []
    synth.render(text, lambda path: (result.append(path), done.set()))
    assert done.wait(30)
    return result[0]


def _rms_and_seconds(path):
    with wave.open(str(path)) as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
        return math.sqrt(sum(s * s for s in samples) / len(samples)), wav.getnframes() / wav.getframerate()


@pytest.mark.parametrize(
    "text", ["请点您要办的事。", "您好！请点您要办的事，也可以直接说出来，比如：社保查询、补贴申领。"]
)
def test_chinese_prompts_render_to_audible_speech_of_plausible_length(synthesizer, text):
    path = _render(synthesizer, text)
    rms, seconds = _rms_and_seconds(path)
    assert rms > 500  # clearly audible, not silence
    chars = sum("\u4e00" <= c <= "\u9fff" for c in text)
    assert 0.15 * chars < seconds < 0.8 * chars + 1.5  # slow, but not stuck
    assert synthesizer.available


def test_numbers_are_said_the_way_a_person_would(synthesizer):
    plain = _rms_and_seconds(_render(synthesizer, for_speech("养老金 2350.5元")))[1]
    assert plain > 1.0
    assert for_speech("回执号 K7QM-3X19") == "回执号 K 七 Q M，三 X 幺 九"
    assert for_speech("2026年11月的养老金已经发放") == "二零二六年十一月的养老金已经发放"  # a year digit by digit
    assert for_speech("种了 12 年") == "种了 十二年"  # years counted are an amount


def test_speaking_again_or_stopping_interrupts_at_once(qtbot, synthesizer):
    speaker = QtSpeaker(synthesizer)
    player = speaker.player
    with qtbot.waitSignal(speaker.started, timeout=10_000) as started:
        speaker.say("第一句话，这句话比较长，会被打断，因为村民已经点了下一个按钮。")
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10_000)
    with qtbot.waitSignal(speaker.started, timeout=10_000) as started:
        speaker.say("第二句。")
    assert started.args == ["第二句。"]
    speaker.stop()
    assert player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    qtbot.wait(300)
    assert list(synthesizer._out_dir.glob("*.wav")) == []


def test_late_render_after_stop_is_discarded(qtbot, synthesizer):
    speaker = QtSpeaker(synthesizer)
    speaker.say("这句话还没说，村民就离开了。")
    speaker.stop()
    qtbot.wait(1000)
    assert speaker.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    assert list(synthesizer._out_dir.glob("*.wav")) == []


def test_the_default_voice_speaks_chinese_characters_as_mandarin_not_english_tone_numbers():
    import shutil
    import subprocess

    from kiosk.config import VoiceConfig
    from kiosk.voice.tts import DEFAULT_VOICE

    assert VoiceConfig().voice == DEFAULT_VOICE
    espeak = shutil.which("espeak-ng")
    said = "你好，社保查询"
    phonemes = subprocess.run([espeak, "-q", "-x", "-v", DEFAULT_VOICE, said], capture_output=True, text=True)
    assert phonemes.stdout.strip() and "(en)" not in phonemes.stdout  # plain sit/cmn says "ni three hao three"


SENTENCE = "您好，请点您要办的事，也可以直接说出来。"


def _seconds_said(synth, text=SENTENCE):
    path = _render(synth, text)
    assert path is not None
    return _rms_and_seconds(path)[1]


def test_a_second_synthesizer_after_the_first_closed_speaks_at_its_own_rate_and_never_an_empty_file(tmp_path):
    """pyttsx3 makes a new espeak driver for a new engine (rate back to 200) and unhooks espeak-ng's audio
    when the old driver is collected: the second synthesizer rendered empty files after a gc cycle."""
    import gc

    first = Synthesizer(tmp_path / "first", SpeechSettings(rate=120))
    first.start()
    slow = _seconds_said(first)
    first.close()
    del first
    second = Synthesizer(tmp_path / "second", SpeechSettings(rate=120))
    second.start()
    try:
        for _ in range(3):
            gc.collect()
            assert _seconds_said(second) == pytest.approx(slow, rel=0.05)
    finally:
        second.close()


def test_two_synthesizers_at_once_each_speak_at_their_own_rate(tmp_path):
    slow = Synthesizer(tmp_path / "slow", SpeechSettings(rate=110))
    fast = Synthesizer(tmp_path / "fast", SpeechSettings(rate=220))
    slow.start()
    fast.start()
    try:
        before = _seconds_said(slow)
        quick = _seconds_said(fast)
        assert _seconds_said(slow) == pytest.approx(before, rel=0.05)  # the fast one's rate did not stick
        assert 1.6 < before / quick < 2.4
    finally:
        slow.close()
        fast.close()


def test_an_empty_render_is_said_again(tmp_path, monkeypatch):
    """espeak-ng handing back a file with no audio (as above, or any other way) is rendered again."""
    from kiosk.voice import tts

    synth = Synthesizer(tmp_path / "speech")
    synth.start()
    real, calls = tts.Espeak.render, []

    def empty_first(self, text, target, settings):
        calls.append(text)
        done = real(self, text, target, settings)
        if len(calls) == 1:
            with wave.open(str(target), "wb") as wav:  # what the unhooked driver writes: a header, no frames
                wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(22050)
        return done

    monkeypatch.setattr(tts.Espeak, "render", empty_first)
    try:
        assert _seconds_said(synth, "请点您要办的事。") > 1.0 and len(calls) == 2
        assert len(list((tmp_path / "speech").glob("*.wav"))) == 1  # the empty one is gone
    finally:
        synth.close()
