"""办事指南 from topic to steps to video: each step read as it shows, the video stopped when she leaves.

The video screen and Qt's video machinery are made the first time a video is wanted, never at
start-up (bench/guides.py: that first tap still shows its first frame well within 500 ms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.ui.screens.guides import GUIDE, GuideListScreen, GuideStepScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.navigation import Navigator
    from kiosk.services.catalogue import Service
    from kiosk.services.guides import Guide
    from kiosk.ui.screens.guide_video import GuideVideoScreen
    from kiosk.ui.window import KioskWindow


class GuideFlow(QObject):
    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        service: Service,
        guides: list[Guide],
        changed: Callable[[], list[Guide] | None] | None = None,
    ) -> None:
        """``changed``: asked on the way home, the guides again once the county's pushed set was swapped in."""
        super().__init__(window)
        self._changed = changed
        self._window = window
        self._navigator = navigator
        self._pictogram = service.icon
        self.topics = GuideListScreen(window.theme, service, guides)
        self.steps = GuideStepScreen(window.theme)
        self.topics.pictogram = self.steps.pictogram = service.icon
        self.video: GuideVideoScreen | None = None
        window.add_screen(self.topics)
        window.add_screen(self.steps)
        self.topics.chosen.connect(self.open_guide)
        self.steps.moved.connect(self._read_step)
        self.steps.finished.connect(navigator.back)
        self.steps.video_wanted.connect(self.open_video)
        navigator.subscribe(self._on_screen)

    def open_guide(self, guide: Guide) -> None:
        self.steps.show_guide(guide)
        self._navigator.open(GUIDE)

    def _read_step(self) -> None:
        if self._navigator.current == GUIDE:  # the first step is read as the screen opens
            self._window.refresh_header()
            self._window.speak_current()

    def _video_screen(self) -> GuideVideoScreen:
        if self.video is None:
            from kiosk.ui.screens.guide_video import GuideVideoScreen

            self.video = GuideVideoScreen(self._window.theme)
            self.video.pictogram = self._pictogram
            self._window.add_screen(self.video)
            self.video.playing_changed.connect(self._playing)
            self._window.repeat_button.clicked.connect(self.video.player.pause)
            self._window.help_requested.connect(self.video.player.pause)
        return self.video

    def open_video(self, guide: Guide) -> None:
        video = self._video_screen()
        video.show_guide(guide, self._volume())
        self._navigator.open(video.screen_id)

    def _volume(self) -> float:
        """The kiosk's own volume, as its speech plays: never the loudness the video file was made at."""
        from kiosk.ui.speaker import DEFAULT_VOLUME, QtSpeaker

        speaker = self._window.speaker
        return speaker.volume if isinstance(speaker, QtSpeaker) else DEFAULT_VOLUME

    def _playing(self, playing: bool) -> None:
        if playing:
            self._window.speaker.stop()  # the video's own voice, never the kiosk talking over it
        self._window.media_playing.emit(playing)

    def _on_screen(self, screen_id: str) -> None:
        if self.video is not None and screen_id != self.video.screen_id:
            self.video.leave()
        if screen_id == self.topics.screen_id or self._navigator.at_home:
            self.steps.clear()
        if self._navigator.at_home:
            fresh = self._changed() if self._changed is not None else None
            if fresh is not None:
                self.topics.guides = fresh
            self.topics.first_page()
