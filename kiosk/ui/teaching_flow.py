"""教命令 and 删除声音 in helper mode, over the teaching use-cases (app/teach.py) on a worker.

The speaker's name and consent come first; then a command, said three to six times, each saying
checked for speech as it is recorded; 保存 keeps them as that speaker's templates and tells the
listener, so the command works on every screen at once. The sayings are held in memory only until
then, and dropped when the volunteer leaves the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.ui.screens.teaching import (
    MIN_SAYINGS,
    TEACH,
    TEACH_REMOVE,
    TEACH_SAY,
    TEACH_WHO,
    TeachRemoveScreen,
    TeachSayScreen,
    TeachScreen,
    TeachWhoScreen,
)
from kiosk.ui.take import TakeRecorder
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.navigation import Navigator
    from kiosk.app.teach import TeachingDesk
    from kiosk.errors import KioskError
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.microphone import AudioSource
    from kiosk.voice.teaching import Taught

COMMAND_WORDS = {
    "back": "返回",
    "home": "首页",
    "repeat": "再听一遍",
    "volunteer": "叫志愿者",
    "yes": "对",
    "no": "不对",
}
NO_NAME = "请先写上说话人的名字。"
LISTENING = "正在听……说完点「停止」。"
GOT = "听到了，第 {n} 遍。"
ENOUGH = "已经说了 {n} 遍，可以点「保存」，也可以再说一遍。"
TAUGHT = "「{label}」教好了：{n} 遍。"
REMOVED = "删除了 {n} 段声音。"


class TeachingFlow(QObject):
    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        desk: TeachingDesk,
        microphone: Callable[[], AudioSource],
        service_labels: dict[str, str],
        operator_name: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._desk = desk
        self._operator_name = operator_name
        self.labels = {**service_labels, **COMMAND_WORDS}  # what can be taught (desk.commands()), as said
        self._work = BackgroundWork(self, "teaching")
        self.who = TeachWhoScreen(window.theme, window.typing.keyboard)
        self.commands = TeachScreen(window.theme)
        self.say = TeachSayScreen(window.theme)
        self.remove = TeachRemoveScreen(window.theme)
        for screen in (self.who, self.commands, self.say, self.remove):
            window.add_screen(screen)
        self.recorder = TakeRecorder(microphone, self)
        self.who.agreed.connect(self._agreed)
        self.commands.chosen.connect(self._chosen)
        self.say.start_stop.connect(self._start_stop)
        self.say.save.connect(self._save)
        self.remove.remove.connect(self._remove)
        self.recorder.level.connect(self.say.meter.show_level)
        self.recorder.recorded.connect(self._recorded)
        self.recorder.failed.connect(lambda message: self._status(recording=False, status=message))
        navigator.subscribe(self._on_screen)
        self.speaker = ""
        self._intent = ""
        self._sayings: list[bytes] = []

    def open(self) -> None:
        """Who is teaching, and their consent: asked every time (the volunteer herself, or a villager)."""
        self.who.ask(self._operator_name())
        self._navigator.open(TEACH_WHO)

    def open_removal(self) -> None:
        self._navigator.open(TEACH_REMOVE)
        self._work.run(self._desk.speakers, self.remove.show_speakers, self._removal_failed)

    def _agreed(self, speaker: str) -> None:
        if not speaker:
            self.who.message.setText(NO_NAME)
            return
        self.speaker = speaker
        self.commands.show_message("")
        self._show_commands()
        self._navigator.open(TEACH)

    def _show_commands(self) -> None:
        self._work.run(
            self._desk.counts,
            lambda counts: self.commands.show_commands(self.speaker, self.labels, counts),
            lambda error: self.commands.show_message(error.message),
        )

    def _chosen(self, intent: str) -> None:
        self._intent, self._sayings = intent, []
        self.say.show_command(self.labels[intent])
        self._navigator.open(TEACH_SAY)

    def _status(self, recording: bool, status: str) -> None:
        self.say.show_state(recording=recording, sayings=len(self._sayings), status=status)
        self._window.refresh_header()

    def _start_stop(self) -> None:
        if self.recorder.recording:
            self.recorder.stop()
            self.say.start_button.hide()  # back once the saying is checked
            return
        self._window.speaker.stop()
        self.say.meter.reset()
        self.recorder.start()
        self._status(recording=True, status=LISTENING)

    def _recorded(self, pcm: bytes) -> None:
        if self._navigator.current != TEACH_SAY:
            return
        self._work.run(lambda: self._desk.check(pcm), lambda _ok: self._heard(pcm), self._not_heard)

    def _heard(self, pcm: bytes) -> None:
        self._sayings.append(pcm)
        n = len(self._sayings)
        self._status(recording=False, status=(ENOUGH if n >= MIN_SAYINGS else GOT).format(n=n))

    def _not_heard(self, error: KioskError) -> None:
        self._status(recording=False, status=error.message)

    def _save(self) -> None:
        intent, sayings, speaker = self._intent, list(self._sayings), self.speaker
        self._work.run(lambda: self._desk.teach(intent, sayings, speaker), self._taught, self._not_heard)

    def _taught(self, taught: Taught) -> None:
        self._sayings = []
        done = TAUGHT.format(label=self.labels[taught.intent], n=taught.recordings)
        warnings = [self._named(warning) for warning in taught.warnings]
        self.commands.show_message("".join([done, *warnings]))
        self._show_commands()
        self._navigator.back()

    def _named(self, warning: str) -> str:
        """A warning names the command it sounds like by its id: the volunteer knows it by its words."""
        for intent, label in self.labels.items():
            warning = warning.replace(f"「{intent}」", f"「{label}」")
        return warning

    def _remove(self, speaker: str) -> None:
        self._work.run(
            lambda: (self._desk.remove(speaker), self._desk.speakers()),
            lambda done: self.remove.show_speakers(done[1], REMOVED.format(n=done[0])),
            self._removal_failed,
        )

    def _removal_failed(self, error: KioskError) -> None:
        self.remove.show_speakers([], error.message)

    def _on_screen(self, screen_id: str) -> None:
        if screen_id != TEACH_SAY:
            self.recorder.stop()
            self._sayings = []  # a speaker's voice is kept only once it is taught
        if screen_id not in (TEACH_WHO, TEACH, TEACH_SAY):
            self.speaker = ""

    def shutdown(self) -> None:
        self.recorder.stop()
        self._work.shutdown()
