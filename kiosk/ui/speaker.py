"""The kiosk's voice on screen: renders on the speech thread, plays through Qt Multimedia.

Speaking again, or ``stop()``, silences what is playing at once and discards renders that
arrive late, so the kiosk never talks over itself or about a screen the villager has left.
Qt Multimedia loads slowly: it is imported with the first sound, after the home screen is painted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from kiosk.voice.lines import text_of

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    from kiosk.voice.lines import Spoken
    from kiosk.voice.tts import Synthesizer

log = logging.getLogger(__name__)
DEFAULT_VOLUME = 0.9


class QtSpeaker(QObject):
    _rendered = Signal(int, object)
    started = Signal(str)
    finished = Signal()

    def __init__(self, synthesizer: Synthesizer, parent=None) -> None:
        super().__init__(parent)
        self._synthesizer = synthesizer
        self._generation = 0
        self._playing: Path | None = None
        self._player: QMediaPlayer | None = None  # made on first use: Qt Multimedia is slow to start
        self._output: QAudioOutput | None = None
        self._rendered.connect(self._play)
        self.last_text = ""

    @property
    def has_audio_device(self) -> bool:
        from PySide6.QtMultimedia import QMediaDevices

        return bool(QMediaDevices.audioOutputs())

    @property
    def player(self) -> QMediaPlayer:
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._output = QAudioOutput(self)
            self._output.setVolume(DEFAULT_VOLUME)
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._output)
            self._player.mediaStatusChanged.connect(self._on_status)
        return self._player

    def report_audio(self) -> None:
        """Say in the log whether anyone can hear the kiosk (a broken speaker must not stop it)."""
        if not self.has_audio_device:
            log.warning("no audio output device: the kiosk will work silently")

    def say(self, spoken: Spoken) -> None:
        self.stop()
        self.last_text = text_of(spoken)
        generation = self._generation
        spoken = spoken if isinstance(spoken, str) else tuple(spoken)  # the GUI thread keeps no hold on it
        self._synthesizer.render(spoken, lambda path: self._rendered.emit(generation, path))

    def stop(self) -> None:
        self._generation += 1
        self._synthesizer.drop_pending()
        # Clearing the source stops playback; QMediaPlayer.stop() can deadlock while a file is loading.
        self._forget_file()

    @property
    def volume(self) -> float:
        return self._output.volume() if self._output is not None else DEFAULT_VOLUME

    def reset_volume(self) -> None:
        """Each villager starts at the station's volume, whatever the last one chose."""
        if self._output is not None:
            self._output.setVolume(DEFAULT_VOLUME)

    def _play(self, generation: int, path: Path | None) -> None:
        if path is None:
            return
        if generation != self._generation:
            path.unlink(missing_ok=True)
            return
        self._forget_file()
        self._playing = path
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()
        self.started.emit(self.last_text)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            # Not from inside the player's own signal: changing its source there can deadlock it.
            QTimer.singleShot(0, self._forget_file)
            self.finished.emit()

    def _forget_file(self) -> None:
        if self._playing is not None:
            self.player.setSource(QUrl())
            self._playing.unlink(missing_ok=True)
            self._playing = None
