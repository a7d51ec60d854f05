"""A villager's taught command works on every screen: the kiosk's own listener, fed by a file-backed
microphone, with the templates a volunteer taught through the teaching use-case; the window acts.

Cantonese (espeak-ng's sit/yue) stands in for a dialect no Mandarin model hears; no Vosk model is
installed, so the taught templates are all the kiosk has.
"""

import pytest
from PySide6.QtCore import QObject, QSize, QTimer, Signal

from kiosk.app.backend import Backend
from kiosk.app.session import Person
from kiosk.app.staff import Operator, Role
from kiosk.config import load_config
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import _voice_commands, build_shell, render
from kiosk.voice.microphone import FileMicrophone, SharedMicrophone
from tests.helpers.villagers import HELD_OUT, TEACHING, VARIETIES, Voices, write_wav

CANTONESE = next(v for v in VARIETIES if v.name == "Cantonese")


class InstantSpeaker(QObject):
    """Speaks in no time: listening resumes as soon as the event loop turns, as after real speech."""

    started = Signal(str)
    finished = Signal()

    def say(self, spoken) -> None:
        self.started.emit("")
        QTimer.singleShot(0, self.finished.emit)

    def stop(self) -> None:
        pass


@pytest.fixture
def voiced(qapp, store, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_VOICE_MODEL", str(tmp_path / "no-model"))
    microphone = FileMicrophone(realtime=False)
    backend = Backend.over(store)
    backend.operator = Operator("李明", Role.VOLUNTEER)  # teaching is helper mode's
    config = load_config()
    shared = SharedMicrophone(lambda: microphone)  # as the kiosk has it: the listener and the 录音 screen
    shell = build_shell(qapp, config, dpi=102, speaker=InstantSpeaker(), backend=backend, microphone=shared.open)
    render(shell, "home", QSize(1920, 1080))
    listener = _voice_commands(shell, config, shell.window.speaker, shared.open)
    yield shell, microphone, listener
    listener.stop()
    shell.shutdown()
    shell.window.close()


def teach(shell, tmp_path, intent: str) -> None:
    """陈伯 says the command three times, as on the 教命令 screen (the use-case that screen calls)."""
    voices = Voices(tmp_path / "voices")
    text = CANTONESE.commands[intent]
    sayings = [voices.pcm(text, CANTONESE.voice, s, p, snr, n) for n, (s, p, snr) in enumerate(TEACHING[:3])]
    shell.voice.teaching_desk.teach(intent, sayings, "陈伯")


def say(microphone, tmp_path, intent: str, n: int = 0) -> None:
    speed, pitch, snr = HELD_OUT[n]
    pcm = Voices(tmp_path / "voices").pcm(CANTONESE.commands[intent], CANTONESE.voice, speed, pitch, snr, 100 + n)
    microphone.say(write_wav(tmp_path / f"{intent}-{n}.wav", pcm))


def test_taught_commands_work_at_home_anywhere_and_at_the_read_back(voiced, qtbot, tmp_path):
    shell, microphone, listener = voiced
    for intent in ("social_security", "back", "yes"):
        teach(shell, tmp_path, intent)
    listener.start()
    shell.window.speak_current()  # the home screen's prompt ends: listening for home's commands
    qtbot.waitUntil(shell.window.listening.isVisible, timeout=15_000)  # 正在听

    say(microphone, tmp_path, "social_security")  # home: a service's name
    qtbot.waitUntil(lambda: shell.navigator.current == "service.social_security", timeout=15_000)
    say(microphone, tmp_path, "back", 1)  # anywhere: what the 返回 button does
    qtbot.waitUntil(lambda: shell.navigator.at_home, timeout=15_000)

    answers = ["fruit", b"\xff\xd8 photo", "jin", 30, 3.5, "村委会门口", "13912345678"]
    shell.session.check_in(Person("张秀英", "410102195001012343", "card"))  # the seller's card
    shell.services.begin(shell.catalogue.service("farm_listing"))
    for answer in answers:
        shell.services.form.answered.emit(answer)  # as her taps give them
    assert shell.navigator.current == FORM and shell.services.form.voice_context == "confirm"  # the read-back
    say(microphone, tmp_path, "yes", 2)
    qtbot.waitUntil(lambda: shell.navigator.current == RECEIPT, timeout=15_000)


def test_a_command_taught_while_the_kiosk_listens_works_at_once(voiced, qtbot, tmp_path):
    shell, microphone, listener = voiced
    teach(shell, tmp_path, "back")
    listener.start()
    shell.navigator.open_service("subsidy")
    qtbot.waitUntil(shell.window.listening.isVisible, timeout=15_000)
    teach(shell, tmp_path, "home")  # the teaching screen tells the listener: no restart
    say(microphone, tmp_path, "home", 3)
    qtbot.waitUntil(lambda: shell.navigator.at_home, timeout=15_000)
