"""方言语音 in helper mode: the screen that leads to 录音, 教命令 and 删除声音, and says how far each is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.errors import KioskError
from kiosk.ui.screens.recording import VOICE, VoiceScreen
from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from kiosk.app.navigation import Navigator
    from kiosk.app.recording import RecordingDesk
    from kiosk.app.teach import TeachingDesk
    from kiosk.ui.recording_flow import RecordingFlow
    from kiosk.ui.teaching_flow import TeachingFlow
    from kiosk.ui.window import KioskWindow


class VoiceFlow(QObject):
    taught = Signal()  # commands were taught or removed (from a worker): the listener reloads its templates

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        recording: RecordingFlow,
        teaching: TeachingFlow,
        recording_desk: RecordingDesk,
        teaching_desk: TeachingDesk,
    ) -> None:
        super().__init__(window)
        self._navigator = navigator
        self.recording_desk = recording_desk
        self.teaching_desk = teaching_desk
        self.recording = recording
        self.teaching = teaching
        self._work = BackgroundWork(self, "voice")
        self.screen = VoiceScreen(window.theme)
        window.add_screen(self.screen)
        self.screen.record_wanted.connect(recording.open)
        self.screen.teach_wanted.connect(teaching.open)
        self.screen.remove_wanted.connect(teaching.open_removal)
        navigator.subscribe(self._on_screen)

    def open(self) -> None:
        self._navigator.open(VOICE)

    def _on_screen(self, screen_id: str) -> None:
        if screen_id == VOICE:  # on the way in, and back from recording or teaching: counted afresh
            self._work.run(
                self._summary, self.screen.show_summary, lambda error: self.screen.show_summary(error.message)
            )

    def _summary(self) -> str:
        todo = self.recording_desk.to_record()
        recorded, total = sum(t.recorded for t in todo), sum(t.total for t in todo)
        recorded_text = f"「{self.recording_desk.dialect()}」录音：已录 {recorded}/{total} 句。"
        try:
            counts = self.teaching_desk.counts()
        except KioskError:  # the store is not open (yet): the recordings can still be counted
            return recorded_text
        taught = f"教过 {len(counts)} 个命令，共 {sum(counts.values())} 遍。" if counts else "还没有教过命令。"
        return recorded_text + taught

    def shutdown(self) -> None:
        for flow in (self.recording, self.teaching):
            flow.shutdown()
        self._work.shutdown()
