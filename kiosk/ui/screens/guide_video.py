"""A guide as a video: the picture in the kiosk's frame, very large 播放/暂停 and 重播, subtitles always shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.guides import TITLE, whole_guide
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.video import VideoPlayer, VideoSurface
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel, icon
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.services.guides import Guide
    from kiosk.voice.lines import Spoken

GUIDE_VIDEO = "guide.video"
PLAY, PAUSE = "播放", "暂停"
SUBTITLE_LINES = 2
HOW_TO_WATCH = phrase("screen.guide.how_to_watch", "点「播放」看视频，点「重播」从头看。")


class GuideVideoScreen(Screen):
    playing_changed = Signal(bool)

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, GUIDE_VIDEO, TITLE, "", parent)
        self.guide: Guide | None = None
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.surface = VideoSurface(QSize(theme.mm(48), theme.mm(27)))
        row.addWidget(self.surface, stretch=1)
        side = QVBoxLayout()
        side.setSpacing(theme.mm(GAP_MM))
        self.play_button = BigButton(theme, PAUSE, CHOICE, icon_name="pause")
        self.replay_button = BigButton(theme, "重播", CHOICE, icon_name="replay")
        for button in (self.play_button, self.replay_button):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            side.addWidget(button)
        self.play_button.setMinimumWidth(self.play_button.sizeHint().width())
        row.addLayout(side)
        self.column.addLayout(row, stretch=1)
        self.subtitle = TextLabel(theme, role="label")
        self.subtitle.setWordWrap(True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setMinimumHeight(self.subtitle.fontMetrics().lineSpacing() * SUBTITLE_LINES)
        self.column.addWidget(self.subtitle)
        self.player = VideoPlayer(self.surface, self)
        self.play_button.clicked.connect(self.player.toggle)
        self.replay_button.clicked.connect(self.player.replay)
        self.player.position_changed.connect(self._show_subtitle)
        self.player.playing_changed.connect(self._show_playing)
        self._show_playing(False)

    def show_guide(self, guide: Guide, volume: float) -> None:
        self.guide = guide
        self.title = guide.label
        self.prompt = HOW_TO_WATCH
        self._show_subtitle(0.0)
        self.player.load(guide.video.path, volume)

    def leave(self) -> None:
        """She has left the screen: the video stops and lets go of its file."""
        self.player.stop()

    def _show_subtitle(self, seconds: float) -> None:
        if self.guide is not None:
            self.subtitle.setText(self.guide.video.cue_at(seconds))

    def _show_playing(self, playing: bool) -> None:
        self.play_button.setText(PAUSE if playing else PLAY)
        self.play_button.setIcon(icon("pause" if playing else "play"))
        self.playing_changed.emit(playing)

    def text_to_repeat(self) -> Spoken:
        """再听一遍 here reads the guide's steps (the video pauses first: see GuideFlow)."""
        return [self.title, "。", *whole_guide(self.guide)] if self.guide is not None else self.spoken_text()
