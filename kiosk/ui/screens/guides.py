"""办事指南: the topics, then one step a screen (a picture, one sentence, read aloud); offline, from the cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.app.navigation import service_screen
from kiosk.ui.paged_buttons import PagedButtons
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel, icon
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from kiosk.services.catalogue import Service
    from kiosk.services.guides import Guide
    from kiosk.voice.lines import Spoken

GUIDE = "guide"
DONE = "看完了"
NEXT = "下一步"
TITLE = phrase("screen.guide.title", "办事指南")
STEP = phrase("screen.guide.step", "第")
STEP_END = phrase("screen.guide.step_end", "步。")
STEP_COMMA = phrase("screen.guide.step_comma", "步，")


def whole_guide(guide: Guide) -> list[str]:
    """Every step in order, as 再听一遍 reads the whole guide: 第1步，… 第2步，…"""
    return [part for n, step in enumerate(guide.steps, start=1) for part in (STEP, str(n), STEP_COMMA, step.text)]


class GuideListScreen(Screen):
    """The guide service's own first screen: its topics as big buttons, a page at a time."""

    chosen = Signal(object)  # a Guide

    def __init__(self, theme: Theme, service: Service, guides: list[Guide], parent=None):
        super().__init__(theme, service_screen(service.id), service.label, service.prompt, parent)
        self._theme = theme
        self.guides = guides
        self.grid = PagedButtons(theme, columns=2)
        self.buttons = self.grid.buttons
        self.column.addLayout(self.grid, stretch=1)
        self.first_page()

    def first_page(self) -> None:
        self.grid.show_entries([(g.label, lambda _=False, g=g: self.chosen.emit(g)) for g in self.guides], True)


class Picture(QWidget):
    """A step's picture, as large as the space allows without distortion; a book where there is none."""

    def __init__(self, theme: Theme, parent=None):
        super().__init__(parent)
        self._theme = theme
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(theme.mm(40), theme.mm(25))

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def show_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    @property
    def image(self) -> QImage | None:
        return self._image

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._image is None:
            side = min(self.width(), self.height()) // 2
            book = icon("book_dark").pixmap(QSize(side, side))
            painter.drawPixmap((self.width() - side) // 2, (self.height() - side) // 2, book)
            return
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect((self.width() - size.width()) // 2, (self.height() - size.height()) // 2, *size.toTuple())
        painter.drawImage(target, self._image)
        painter.setPen(QPen(Qt.GlobalColor.black, max(1, self._theme.mm(0.4))))
        painter.drawRect(target.adjusted(0, 0, -1, -1))


class GuideStepScreen(Screen):
    """One step of a guide: 上一步 and 下一步 either side of its picture, its sentence underneath."""

    moved = Signal()  # a new step is on screen: read it
    video_wanted = Signal(object)  # the Guide, to watch as a video
    finished = Signal()

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, GUIDE, TITLE, "", parent)
        self.guide: Guide | None = None
        self.index = 0
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.previous_button = BigButton(theme, "上一步", CHOICE, icon_name="previous")
        self.picture = Picture(theme)
        self.next_button = BigButton(theme, NEXT, CHOICE, icon_name="continue")
        self.video_button = BigButton(theme, "看视频", CHOICE, icon_name="video")
        for button in (self.previous_button, self.next_button, self.video_button):
            policy = QSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
            policy.setRetainSizeWhenHidden(button is self.previous_button)
            button.setSizePolicy(policy)
        side = QVBoxLayout()
        side.setSpacing(theme.mm(GAP_MM))
        side.addWidget(self.next_button)
        side.addWidget(self.video_button)
        row.addWidget(self.previous_button)
        row.addWidget(self.picture, stretch=1)
        row.addLayout(side)
        self.column.addLayout(row, stretch=1)
        self.sentence = TextLabel(theme, role="label")
        self.sentence.setWordWrap(True)
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.column.addWidget(self.sentence)
        self.previous_button.clicked.connect(lambda: self.show_step(self.index - 1))
        self.next_button.clicked.connect(self._next)
        self.video_button.clicked.connect(lambda: self.video_wanted.emit(self.guide))
        self._theme = theme
        self._fitted = False
        self.clear()

    def showEvent(self, event) -> None:
        if not self._fitted:  # once the window's style sheet applies: it sets the buttons' padding
            self._fitted = True
            self._fit_buttons()
        super().showEvent(event)

    def _fit_buttons(self) -> None:
        """The three buttons equally wide, wide enough for the longest label either may show."""
        widest = 0
        for button in (self.previous_button, self.next_button, self.video_button):
            for text in {button.text(), DONE}:
                shown = button.text()
                button.setText(text)
                widest = max(widest, button.sizeHint().width())
                button.setText(shown)
        for button in (self.previous_button, self.next_button, self.video_button):
            button.setFixedWidth(widest + self._theme.mm(2))

    def show_guide(self, guide: Guide) -> None:
        self.guide = guide
        self.title = guide.label
        self.next_button.show()
        self.video_button.setVisible(guide.video is not None)
        self.show_step(0)

    def show_step(self, index: int) -> None:
        guide = self.guide
        self.index = max(0, min(index, len(guide.steps) - 1))
        step = guide.steps[self.index]
        picture = QImage(str(step.picture)) if step.picture is not None else None
        self.picture.show_image(picture if picture is not None and not picture.isNull() else None)
        self.sentence.setText(step.text)
        self.prompt = [STEP, str(self.index + 1), STEP_END, step.text]
        self.previous_button.setVisible(self.index > 0)
        last = self.index == len(guide.steps) - 1
        self.next_button.setText(DONE if last else NEXT)
        self.step_label = f"第 {self.index + 1} 步 / 共 {len(guide.steps)} 步"
        self.moved.emit()

    def _next(self) -> None:
        if self.index == len(self.guide.steps) - 1:
            self.finished.emit()
        else:
            self.show_step(self.index + 1)

    def text_to_repeat(self) -> Spoken:
        """再听一遍 on a step reads the whole guide."""
        if self.guide is None:
            return self.spoken_text()
        return [self.title, "。", *whole_guide(self.guide)]

    def clear(self) -> None:
        self.guide = None
        self.title, self.prompt, self.step_label = TITLE, "", ""
        self.picture.show_image(None)
        self.sentence.clear()
        for button in (self.previous_button, self.next_button, self.video_button):
            button.hide()
