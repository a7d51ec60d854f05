"""Screens speak through the station's voice pack: what is recorded is played, blocks say the
numbers and codes, and only the dynamic parts (a name) are left to text-to-speech. The kiosk's
own speaker and speech thread, with the pack the 录音 screen fills."""

import queue

import pytest
from PySide6.QtCore import QSize

from kiosk.app.session import Person
from kiosk.app.submit import Delivery
from kiosk.ui.lines import screen_lines
from kiosk.ui.screens.checkin import WELCOME
from kiosk.ui.shell import build_shell, render
from kiosk.ui.speaker import QtSpeaker
from kiosk.voice.pack import VoicePack
from kiosk.voice.planner import CLIP, TTS, SpeechPlanner, station_registry
from kiosk.voice.tts import Synthesizer
from tests.unit.voice.test_voice_pack import tone


@pytest.fixture
def spoken(qapp, tmp_path):
    """A shell whose every screen line and building block is recorded; the plans its speech thread made."""
    registry = station_registry(screen_lines())
    pack = VoicePack(tmp_path / "pack", dialect="测试话")
    for line in registry:
        if line.group != "guides" and not line.key.startswith("service."):
            pack.record(line, tone(300), "测试")
    plans: queue.Queue = queue.Queue()
    synthesizer = Synthesizer(
        tmp_path / "speech",
        open_planner=lambda: SpeechPlanner(registry, VoicePack.open(tmp_path / "pack")),
        on_segments=lambda said, segments: plans.put(segments),
    )
    synthesizer.start()
    speaker = QtSpeaker(synthesizer)
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "home", QSize(1280, 800))
    plans.get(timeout=30)  # the home screen's own
    yield shell, plans
    speaker.stop()
    synthesizer.close()
    shell.window.close()


def test_the_receipt_is_said_wholly_from_recordings_its_code_joined_from_blocks(spoken):
    shell, plans = spoken
    shell.services.receipt.show_receipt("K7QM-3XD9", "补贴申领", Delivery.WHEN_ONLINE)
    shell.navigator.open_alone("receipt")
    segments = plans.get(timeout=30)
    kinds = {s.kind for s in segments if s.key is None or not s.key.startswith("service.")}
    assert kinds == {CLIP}  # every fixed line and every block of the code: nothing synthesised
    keys = [s.key for s in segments]
    code = ["block.letter.k", "block.digit.7", "block.letter.q", "block.letter.m"]
    at = keys.index("screen.receipt.your_number")
    assert keys[at + 1 : at + 5] == code and keys[:2] == ["screen.receipt.title", "screen.receipt.saved"]
    assert [s.kind for s in segments if s.key == "service.subsidy.label"] == [TTS]  # the catalogue's: not recorded


def test_on_the_welcome_only_the_name_is_text_to_speech(spoken):
    shell, plans = spoken
    shell.session.check_in(Person("张秀英", "410102195001012343", "card"))
    shell.navigator.open(WELCOME)
    segments = plans.get(timeout=30)
    assert [(s.kind, s.text) for s in segments if s.kind == TTS] == [(TTS, "张某英。")]
    digits = [f"block.digit.{d}" for d in "4101"] + ["block.hidden"] + [f"block.digit.{d}" for d in "2343"]
    assert [s.key for s in segments] == [
        "screen.welcome.title",
        "screen.welcome.hello",
        None,  # the name, as the masked card says it: 张某英
        "screen.welcome.id_number",
        *digits,  # the masked ID number, digit by digit, its hidden part said as hidden
    ]
    assert all(s.path is not None for s in segments if s.kind == CLIP)
