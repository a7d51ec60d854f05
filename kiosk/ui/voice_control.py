"""Spoken commands in the UI: the listener's news crosses to the GUI thread by signal and acts there.

Listening follows the screen: it stops while the kiosk speaks or a video plays and resumes with the
screen's own commands when that ends. Voice shows itself (hint, microphone mark) only once a model is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.navigation import Navigator
    from kiosk.ui.speaker import QtSpeaker
    from kiosk.ui.window import KioskWindow
    from kiosk.voice.listener import Listener
    from kiosk.voice.matcher import Intent


class VoiceControl(QObject):
    heard = Signal(object)
    state = Signal(str)
    hearable = Signal(object)  # None: every command; else the frozenset of intents taught

    def __init__(
        self,
        window: KioskWindow,
        navigator: Navigator,
        speaker: QtSpeaker,
        listener: Listener,
        offer: Callable[[Intent], None] = lambda intent: None,
    ) -> None:
        """``offer`` hears a spoken request that named a thing (卖土豆), before its service opens."""
        super().__init__(window)
        self._window = window
        self._offer = offer
        self._navigator = navigator
        self._listener = listener
        self.heard.connect(self._act)
        self.state.connect(window.show_voice_state)
        self.hearable.connect(window.show_hearable)
        speaker.started.connect(lambda _text: listener.listen(None))
        speaker.finished.connect(self._resume)
        navigator.subscribe(lambda _screen: listener.listen(None))
        # A video speaks for itself: not heard as commands while it plays (its narration says 「首页」).
        self._video_playing = False
        window.media_playing.connect(self._media_playing)

    def _media_playing(self, playing: bool) -> None:
        self._video_playing = playing
        if playing:
            self._listener.listen(None)
        else:
            self._resume()

    def _resume(self) -> None:
        if not self._video_playing:
            self._listener.listen(self._window.current_screen().voice_context)

    def _act(self, intent: Intent) -> None:
        if self._window.modal is not None:  # only its own button acts while it shows
            return
        actions = {  # what the bar's buttons do, so saying 返回 is pressing 返回
            "back": self._window.go_back,
            "home": self._window.go_home,
            "repeat": self._window.repeat,
            "volunteer": self._window.call_volunteer,
        }
        if intent.name in actions:
            actions[intent.name]()
        elif self._navigator.at_home:
            self._offer(intent)
            self._navigator.open_service(intent.name)
        else:
            self._window.current_screen().on_voice(intent)
