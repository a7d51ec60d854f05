"""录音 in helper mode: the screens still to record, then their lines one at a time.

A take is recorded from 开始 to 停止 (the kiosk stops talking first), made fit to keep on a worker
(silence trimmed, loudness matched: app/recording.py), played back at once, and kept with 保存;
the speech thread then says that line from the recording (``pack_changed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.ui.screens.recording import GROUP_NAMES, RECORD, RECORD_LINE, RecordLineScreen, RecordScreen, group_order
from kiosk.ui.take import ClipPlayer, TakeRecorder
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kiosk.app.navigation import Navigator
    from kiosk.app.recording import RecordingDesk, Take, ToRecord
    from kiosk.errors import KioskError
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.microphone import AudioSource

LISTENING = "正在录……说完点「停止」。"
WORKING = "正在处理录音……"
TAKEN = "录好了，{seconds:.1f} 秒。满意点「保存」，不满意点「重录」。"
KEPT = "保存好了。"


class RecordingFlow(QObject):
    pack_changed = Signal()

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        desk: RecordingDesk,
        microphone: Callable[[], AudioSource],
        service_labels: dict[str, str],
        playback_folder: Path,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._desk = desk
        self._labels = service_labels
        self._work = BackgroundWork(self, "recording")
        self.list = RecordScreen(window.theme)
        self.line = RecordLineScreen(window.theme)
        window.add_screen(self.list)
        window.add_screen(self.line)
        self.recorder = TakeRecorder(microphone, self)
        self.player = ClipPlayer(playback_folder, 0.9, self)
        self.list.chosen.connect(self._open_group)
        self.line.start_stop.connect(self._start_stop)
        self.line.play.connect(self._play)
        self.line.keep.connect(self._keep)
        self.line.skip.connect(self._next)
        self.recorder.level.connect(self.line.meter.show_level)
        self.recorder.recorded.connect(self._recorded)
        self.recorder.failed.connect(lambda message: self._status(recording=False, status=message))
        navigator.subscribe(self._on_screen)
        self._todo: ToRecord | None = None
        self._at = 0
        self._take: Take | None = None

    def group_name(self, group: str) -> str:
        if group.startswith("service."):
            return self._labels.get(group.removeprefix("service."), group)
        return GROUP_NAMES.get(group, group)

    def open(self) -> None:
        self._navigator.open(RECORD)
        self.refresh()

    def refresh(self) -> None:
        self._work.run(
            lambda: (self._desk.to_record(), self._desk.dialect()),
            lambda found: self.list.show_todo(found[0], self.group_name, found[1], group_order(list(self._labels))),
            lambda error: self.list.show_message(error.message),
        )

    def _open_group(self, todo: ToRecord) -> None:
        self._todo, self._at = todo, 0
        self._show_line()
        self._navigator.open(RECORD_LINE)

    def _show_line(self) -> None:
        self._take = None
        line = self._todo.missing[self._at]
        self.line.show_line(self.group_name(self._todo.group), line.text, self._at + 1, len(self._todo.missing))
        self._window.refresh_header()

    def _status(self, recording: bool, status: str) -> None:
        self.line.show_state(recording=recording, taken=self._take is not None, status=status)

    def _start_stop(self) -> None:
        if self.recorder.recording:
            self.recorder.stop()
            self._status(recording=False, status=WORKING)
            self.line.start_button.hide()  # until the take is made ready: one take at a time
            return
        self._window.speaker.stop()  # the kiosk's own voice is never in the recording
        self.player.stop()
        self._take = None
        self.line.meter.reset()
        self.recorder.start()
        self._status(recording=True, status=LISTENING)

    def _recorded(self, pcm: bytes) -> None:
        if self._navigator.current != RECORD_LINE:
            return
        self._work.run(lambda: self._desk.prepare(pcm), self._prepared, self._not_prepared)

    def _prepared(self, take: Take) -> None:
        self._take = take
        self._status(recording=False, status=TAKEN.format(seconds=take.seconds))
        self.line.start_button.show()
        if self._navigator.current == RECORD_LINE:
            self.player.play(take.wav)

    def _not_prepared(self, error: KioskError) -> None:
        self._status(recording=False, status=error.message)
        self.line.start_button.show()

    def _play(self) -> None:
        if self._take is not None:
            self.player.play(self._take.wav)

    def _keep(self) -> None:
        take, line = self._take, self._todo.missing[self._at]
        if take is None:
            return
        self.player.stop()
        self._work.run(lambda: self._desk.keep(line, take), lambda _done: self._kept(), self._not_kept)

    def _kept(self) -> None:
        self.pack_changed.emit()
        self._next(KEPT)

    def _not_kept(self, error: KioskError) -> None:
        self._status(recording=False, status=error.message)

    def _next(self, said: str = "") -> None:
        self.player.stop()
        if self._at + 1 < len(self._todo.missing):
            self._at += 1
            self._show_line()
            if said:
                self._status(recording=False, status=f"{said}{self.line.status.text()}")
            return
        self._navigator.back()  # this screen's lines are done (or skipped): the list again, counted afresh
        self.refresh()

    def _on_screen(self, screen_id: str) -> None:
        if screen_id != RECORD_LINE:
            self.recorder.stop()  # she left mid-take: it ends, and what it heard is dropped below
            self.player.stop()
            self._take = None

    def shutdown(self) -> None:
        self.recorder.stop()
        self.player.stop()
        self._work.shutdown()
