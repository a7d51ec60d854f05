"""The listener thread with the real Korean model, fed speech chunk by chunk as a microphone would."""

import queue
import threading

import pytest

from kiosk.voice.listener import Listener
from kiosk.voice.recognizer import CHUNK_BYTES, SAMPLE_RATE, CommandRecognizer, VoiceModelMissing
from tests.unit.voice.test_vosk_korean import KOREAN, korean_model, speak  # noqa: F401 - fixture

SILENCE = bytes(SAMPLE_RATE)  # half a second


class FakeMicrophone:
    def __init__(self):
        self.chunks: queue.Queue[bytes] = queue.Queue()
        self.closed = threading.Event()

    def say(self, pcm: bytes) -> None:
        audio = SILENCE + pcm + SILENCE * 3
        for start in range(0, len(audio), CHUNK_BYTES):
            self.chunks.put(audio[start : start + CHUNK_BYTES])

    def read(self, timeout: float = 1.0):
        try:
            return self.chunks.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self):
        self.closed.set()


def _wait_for(states: queue.Queue, wanted: str) -> None:
    while (state := states.get(timeout=10)) != wanted:
        assert state in ("paused", "listening")


def test_hears_a_command_while_listening_and_nothing_while_paused(korean_model, tmp_path):  # noqa: F811
    microphone, intents, states = FakeMicrophone(), queue.Queue(), queue.Queue()
    listener = Listener(
        lambda: CommandRecognizer(korean_model), lambda: microphone, {"confirm": KOREAN}, intents.put, states.put
    )
    listener.start()
    try:
        assert states.get(timeout=30) == "ready"
        listener.listen("confirm")
        _wait_for(states, "listening")
        microphone.say(speak("아니요", "ko", tmp_path))
        assert intents.get(timeout=15).name == "no"
        listener.listen(None)
        _wait_for(states, "paused")
        microphone.say(speak("네", "ko", tmp_path))
        with pytest.raises(queue.Empty):
            intents.get(timeout=2)
    finally:
        listener.stop()
    assert microphone.closed.wait(5)


def test_without_a_model_voice_is_simply_off(tmp_path):
    states = queue.Queue()
    listener = Listener(lambda: CommandRecognizer(tmp_path / "no-model"), FakeMicrophone, {}, print, states.put)
    listener.start()
    assert states.get(timeout=5) == "unavailable"
    with pytest.raises(VoiceModelMissing):
        CommandRecognizer(tmp_path / "no-model")


def _cantonese_no_templates(voices):
    from kiosk.voice.features import speech_features
    from kiosk.voice.templates import Template, TemplateSet
    from tests.helpers.villagers import TEACHING, VARIETIES

    cantonese = VARIETIES[1]
    recordings = [
        voices.pcm(cantonese.commands["no"], cantonese.voice, s, p, snr, n)
        for n, (s, p, snr) in enumerate(TEACHING[:3])
    ]
    return TemplateSet([Template("no", "陈阿婆", speech_features(pcm)) for pcm in recordings]), cantonese


def _listen(listener, states, microphone, pcm, context="confirm"):
    listener.start()
    assert states.get(timeout=30) == "ready"
    listener.listen(context)
    _wait_for(states, "listening")
    microphone.say(pcm)


def test_a_taught_command_is_heard_from_the_microphone_with_no_model_installed(tmp_path):
    from tests.helpers.villagers import HELD_OUT, Voices

    templates, cantonese = _cantonese_no_templates(Voices(tmp_path / "voices"))
    microphone, intents, states, decided = FakeMicrophone(), queue.Queue(), queue.Queue(), queue.Queue()
    hearable = queue.Queue()
    listener = Listener(
        lambda: CommandRecognizer(tmp_path / "no-model"),
        lambda: microphone,
        {"confirm": {"yes": ["对"], "no": ["不对"]}},
        intents.put,
        states.put,
        open_templates=lambda: templates,
        on_heard=lambda heard, ms: decided.put((heard, ms)),
        on_hearable=hearable.put,
    )
    try:
        speed, pitch, snr = HELD_OUT[1]
        _listen(
            listener, states, microphone, Voices(tmp_path / "voices").pcm("唔系", cantonese.voice, speed, pitch, snr, 9)
        )
        assert hearable.get(timeout=1) == frozenset({"no"})  # with no model, only what was taught: 对 is not
        assert intents.get(timeout=15).name == "no"
        heard, ms = decided.get(timeout=1)
        assert heard.engine == "templates" and ms >= 0
        microphone.say(Voices(tmp_path / "voices").pcm("今日天气好好", cantonese.voice, 130, 50, 30, 3))
        assert decided.get(timeout=15)[0].intent is None  # other speech: heard, and nothing done
        assert intents.empty()
    finally:
        listener.stop()


def test_both_engines_listen_the_taught_dialect_and_the_models_own_language(korean_model, tmp_path):  # noqa: F811
    from tests.helpers.villagers import HELD_OUT, Voices

    templates, cantonese = _cantonese_no_templates(Voices(tmp_path / "voices"))
    microphone, intents, states, decided = FakeMicrophone(), queue.Queue(), queue.Queue(), queue.Queue()
    listener = Listener(
        lambda: CommandRecognizer(korean_model),
        lambda: microphone,
        {"confirm": KOREAN},
        intents.put,
        states.put,
        open_templates=lambda: templates,
        on_heard=lambda heard, ms: decided.put(heard),
    )
    try:
        speed, pitch, snr = HELD_OUT[1]
        _listen(
            listener, states, microphone, Voices(tmp_path / "voices").pcm("唔系", cantonese.voice, speed, pitch, snr, 9)
        )
        assert intents.get(timeout=15).name == "no"  # Cantonese: the model cannot, the templates can
        assert decided.get(timeout=1).engine == "templates"
        microphone.say(speak("네", "ko", tmp_path))
        assert intents.get(timeout=15).name == "yes"  # Korean, never taught: the model hears it
    finally:
        listener.stop()
