"""The microphone simulator and the one microphone every listener shares."""

import threading
import time

import pytest

from kiosk.voice.microphone import CHUNK_BYTES, FileMicrophone, MicrophoneUnavailable, SharedMicrophone, microphone_from
from tests.helpers.villagers import write_wav


def wav(tmp_path, name, value, chunks=2):
    return write_wav(tmp_path / f"{name}.wav", bytes([value, 0]) * (CHUNK_BYTES // 2 * chunks))


def test_files_are_heard_in_turn_then_the_silence_of_an_empty_room(tmp_path):
    microphone = FileMicrophone([wav(tmp_path, "a", 1), wav(tmp_path, "b", 2)], realtime=False)
    heard = [microphone.read() for _ in range(12)]
    assert all(len(chunk) == CHUNK_BYTES for chunk in heard)
    firsts = [chunk[0] for chunk in heard]
    assert firsts[:2] == [1, 1] and firsts[2:6] == [0] * 4 and firsts[6:8] == [2, 2] and set(firsts[8:]) == {0}
    microphone.say(wav(tmp_path, "c", 3, chunks=1))  # said now: heard next
    assert microphone.read()[0] == 3


def test_a_file_that_is_not_16_khz_mono_16_bit_is_refused_in_one_line(tmp_path):
    import wave

    path = tmp_path / "cd.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2), out.setsampwidth(2), out.setframerate(44100), out.writeframes(bytes(400))
    with pytest.raises(MicrophoneUnavailable, match="16 kHz 单声道 16 位"):
        FileMicrophone([path])
    (tmp_path / "empty").mkdir()
    with pytest.raises(MicrophoneUnavailable, match=r"没有 \.wav"):
        microphone_from(str(tmp_path / "empty"))()
    assert isinstance(microphone_from(str(wav(tmp_path, "one", 1)))(), FileMicrophone)


class CountingDevice:
    def __init__(self):
        self.closed = threading.Event()
        self._n = 0

    def read(self, timeout=1.0):
        time.sleep(0.005)  # a chunk at a time, as a sound card hands them over
        self._n += 1
        return self._n.to_bytes(4, "big")

    def close(self):
        self.closed.set()


def test_every_listener_hears_the_same_audio_from_one_device_opened_once():
    devices = []
    shared = SharedMicrophone(lambda: devices.append(CountingDevice()) or devices[-1])
    listener, recorder = shared.open(), shared.open()
    assert len(devices) == 1
    heard = [int.from_bytes(listener.read(timeout=5), "big") for _ in range(5)]
    also = [int.from_bytes(recorder.read(timeout=5), "big") for _ in range(5)]
    assert heard == list(range(heard[0], heard[0] + 5))  # every chunk, in order
    assert also == list(range(also[0], also[0] + 5)) and heard[0] <= also[0] <= heard[-1]  # the same ones
    listener.close()
    assert not devices[0].closed.is_set()  # the 录音 screen still listens
    recorder.close()
    assert devices[0].closed.wait(5)
    again = shared.open()  # opened afresh for the next listener
    assert len(devices) == 2 and again.read(timeout=5) is not None
    again.close()
