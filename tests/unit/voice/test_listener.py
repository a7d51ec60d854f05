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
    listener = Listener(lambda: CommandRecognizer(korean_model), lambda: microphone, {"confirm": KOREAN},
                        intents.put, states.put)  # fmt: skip
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
