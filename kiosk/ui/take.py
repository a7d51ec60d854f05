"""Recording one take on screen: the big 开始/停止, a level meter, and hearing it back.

The microphone is read on the capture's own thread (kiosk/voice/capture.py); its level and the
finished take cross to the GUI thread by signal. The kiosk stops talking while a take is recorded,
so its own voice is never in the recording. Playing back goes through Qt Multimedia, loaded with
the first take heard, never at start-up.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, QUrl, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.voice.capture import Capture

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    from kiosk.ui.theme import Theme
    from kiosk.voice.microphone import AudioSource

METER_MM = (12, 7)  # the least width and the height of the level meter
SPEECH_LEVEL = 0.5  # about -30 dBFS: the mark a voice at the right distance should pass


class LevelMeter(QWidget):
    """How loud the microphone hears it, as a filled bar with a mark where speech should reach."""

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self._colours = theme.colours
        self._border = max(2, theme.mm(0.6))
        self.level = 0.0
        self.peak = 0.0  # the loudest of the take: shown after it, so she sees whether it was loud enough
        self.setMinimumSize(theme.mm(METER_MM[0]), theme.mm(METER_MM[1]))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_level(self, level: float) -> None:
        self.level = level
        self.peak = max(self.peak, level)
        self.update()

    def reset(self) -> None:
        self.level = self.peak = 0.0
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        inner = QRectF(self.rect()).adjusted(self._border, self._border, -self._border, -self._border)
        painter.fillRect(inner, QColor(self._colours.nav))
        filled = QRectF(inner)
        filled.setWidth(inner.width() * max(self.level, self.peak * 0.999))
        painter.fillRect(filled, QColor(self._colours.primary))
        painter.setPen(QPen(QColor(self._colours.outline), self._border))
        painter.drawRect(QRectF(self.rect()).adjusted(self._border / 2, self._border / 2, -self._border / 2,
                                                     -self._border / 2))  # fmt: skip
        x = inner.left() + inner.width() * SPEECH_LEVEL
        painter.setPen(QPen(QColor(self._colours.help), 2 * self._border))
        painter.drawLine(round(x), round(inner.top()), round(x), round(inner.bottom()))


class TakeRecorder(QObject):
    """One take at a time from ``open_source``: ``level`` while it runs, then ``recorded`` (its PCM) or ``failed``."""

    level = Signal(float)
    recorded = Signal(bytes)
    failed = Signal(str)

    def __init__(self, open_source: Callable[[], AudioSource], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_source = open_source
        self._capture: Capture | None = None
        self.recorded.connect(self._ended)
        self.failed.connect(self._ended)

    @property
    def recording(self) -> bool:
        return self._capture is not None

    def start(self) -> None:
        if self._capture is None:
            self._capture = Capture(self._open_source, self.level.emit, self.recorded.emit, self.failed.emit)
            self._capture.start()

    def stop(self) -> None:
        """The take ends; ``recorded`` follows once the microphone has handed over its last chunk."""
        if self._capture is not None:
            self._capture.stop(wait=False)

    def _ended(self, _result) -> None:
        self._capture = None


class ClipPlayer(QObject):
    """Plays a take back (a WAV file's bytes) through the kiosk's speaker."""

    played = Signal(Path)  # the file that is playing now

    def __init__(self, folder: Path, volume: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._volume = volume
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._file: Path | None = None

    def play(self, wav: bytes) -> None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self.stop()
        if self._player is None:
            self._output = QAudioOutput(self)
            self._output.setVolume(self._volume)
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._output)
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile("wb", suffix=".wav", dir=self._folder, delete=False) as out:
            out.write(wav)
        self._file = Path(out.name)
        self._player.setSource(QUrl.fromLocalFile(str(self._file)))
        self._player.play()
        self.played.emit(self._file)

    def stop(self) -> None:
        if self._player is not None:
            self._player.setSource(QUrl())  # as the speaker does: stop() can deadlock while a file loads
        if self._file is not None:
            self._file.unlink(missing_ok=True)
            self._file = None
