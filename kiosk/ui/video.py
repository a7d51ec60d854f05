"""A video inside the kiosk's frame: Qt Multimedia decodes, this widget paints each frame itself.

Painting the frames ourselves (rather than through QVideoWidget's native child window) keeps the
video an ordinary widget: it is grabbed with the rest of the screen for screenshots and the
accessibility audit, shows the same under the cage compositor, Xvfb and the offscreen platform,
and can never take the screen over. Imported only when a video is first wanted, after start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from pathlib import Path

PLAYING = QMediaPlayer.PlaybackState.PlayingState


class VideoSurface(QWidget):
    frame_painted = Signal()  # a frame is on screen (the benchmark waits for the first)

    def __init__(self, minimum: QSize, parent=None):
        super().__init__(parent)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._new_frame)
        self._frame = QVideoFrame()
        self._options = QVideoFrame.PaintOptions()
        self._options.aspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio
        self._options.backgroundColor = QColor("#000000")
        self._options.paintFlags = QVideoFrame.PaintOptions.PaintFlag.DontDrawSubtitles
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    @property
    def has_frame(self) -> bool:
        return self._frame.isValid()

    def clear(self) -> None:
        self._frame = QVideoFrame()
        self.update()

    def _new_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self._frame = frame
            self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._options.backgroundColor)
        if self._frame.isValid():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            self._frame.paint(painter, self.rect().toRectF(), self._options)
            painter.end()
            self.frame_painted.emit()


class VideoPlayer(QObject):
    """One player for the kiosk's videos. Stopping clears the source (QMediaPlayer.stop() can deadlock
    while a file loads) and frees the decoder, so nothing plays or holds memory once she has left."""

    position_changed = Signal(float)  # seconds
    playing_changed = Signal(bool)
    ended = Signal()

    def __init__(self, surface: VideoSurface, parent=None):
        super().__init__(parent)
        self._surface = surface
        self.audio = QAudioOutput(self)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoSink(surface.sink)
        self.player.positionChanged.connect(lambda ms: self.position_changed.emit(ms / 1000))
        self.player.playbackStateChanged.connect(lambda state: self.playing_changed.emit(state == PLAYING))
        self.player.mediaStatusChanged.connect(self._on_status)
        self.source: Path | None = None

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == PLAYING

    def load(self, path: Path, volume: float) -> None:
        """Show the first frame, paused, at the kiosk's volume."""
        self.audio.setVolume(volume)
        if path != self.source:
            self.source = path
            self._surface.clear()
            self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.setPosition(0)
        self.player.pause()

    def toggle(self) -> None:
        if self.playing:
            self.player.pause()
            return
        if self.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
            self.player.setPosition(0)
        self.player.play()

    def replay(self) -> None:
        self.player.setPosition(0)
        self.player.play()

    def pause(self) -> None:
        if self.playing:
            self.player.pause()

    def stop(self) -> None:
        if self.source is not None:
            self.source = None
            self.player.setSource(QUrl())
            self._surface.clear()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.ended.emit()
