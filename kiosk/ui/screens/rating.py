"""好差评 after a receipt or an answer: three very large faces, then (for 不满意) at most four reasons, then thanks.

One decision a page: a face, then one reason (or none). Skipping is always one tap: 跳过, or 首页.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.app.rate import Rating, Reason
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, NAV, BigButton, PictureButton, TextLabel
from kiosk.voice.lines import phrase

RATING = "rating"
RATING_WORDS = {
    Rating.SATISFIED: phrase("screen.rating.satisfied", "满意"),
    Rating.BASIC: phrase("screen.rating.basic", "基本满意"),
    Rating.UNSATISFIED: phrase("screen.rating.unsatisfied", "不满意"),
}
FACES = {Rating.SATISFIED: "face_satisfied", Rating.BASIC: "face_basic", Rating.UNSATISFIED: "face_unsatisfied"}
REASON_WORDS = {
    Reason.WAITED: "等得太久",
    Reason.HARD_TO_USE: "不好操作",
    Reason.NOT_DONE: "事情没办成",
    Reason.HARD_TO_FOLLOW: "听不清、看不懂",
}
TITLE = phrase("screen.rating.title", "请您评价")
ASK = "这次办得怎么样？请点一个。"
SAY_ASK = phrase("screen.rating.ask", "这次办得怎么样？请点一个：满意、基本满意、不满意。不想评，请点「跳过」。")
ASK_REASON = "哪里不满意？请点一个。"
SAY_ASK_REASON = phrase(
    "screen.rating.ask_reason",
    "哪里不满意？请点一个：等得太久、不好操作、事情没办成、听不清看不懂。不想说，请点「不说了」。",
)
THANKS = "谢谢您的评价！"
THANKED = phrase("screen.rating.thanked", "谢谢您")
SAY_THANKS = phrase("screen.rating.thanks", "评价已经记下了，欢迎您下次再来。")
FACE_MM = 80  # very large: as large as the screen gives


class RatingScreen(Screen):
    rated = Signal(object, tuple)  # a Rating, and its reasons
    skipped = Signal()
    moved = Signal()  # a tap showed the next page: say it

    def __init__(self, theme: Theme, parent=None):
        super().__init__(theme, RATING, TITLE, ASK, parent)
        self._theme = theme
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.question = TextLabel(theme, role="label")
        self.question.setWordWrap(True)
        row.addWidget(self.question, stretch=1)
        self.skip_button = BigButton(theme, "跳过", NAV)
        self.skip_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.skip_button.clicked.connect(self.skipped)
        row.addWidget(self.skip_button)
        self.column.addLayout(row)
        self.pages = QStackedWidget()
        self.column.addWidget(self.pages, stretch=1)
        self.faces = self._faces_page()
        self.reasons = self._reasons_page()
        self.thanks = self._thanks_page()
        self.ask()

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self._theme.mm(GAP_MM))
        self.pages.addWidget(page)
        return page, column

    def _faces_page(self) -> QWidget:
        page, column = self._page()
        row = QHBoxLayout()
        row.setSpacing(self._theme.mm(GAP_MM))
        self.face_buttons: dict[Rating, PictureButton] = {}
        for rating, words in RATING_WORDS.items():
            button = PictureButton(self._theme, words, CHOICE, FACES[rating], FACE_MM)
            button.clicked.connect(lambda _=False, r=rating: self._face(r))
            row.addWidget(button)
            self.face_buttons[rating] = button
        column.addLayout(row)
        return page

    def _reasons_page(self) -> QWidget:
        page, column = self._page()
        grid = QGridLayout()
        grid.setSpacing(self._theme.mm(GAP_MM))
        self.reason_buttons: dict[Reason | None, BigButton] = {}
        choices = [*REASON_WORDS.items(), (None, "不说了")]
        for index, (reason, words) in enumerate(choices):
            button = BigButton(self._theme, words, CHOICE)
            reasons = (reason,) if reason is not None else ()
            button.clicked.connect(lambda _=False, r=reasons: self._rate(Rating.UNSATISFIED, r))
            grid.addWidget(button, index // 3, index % 3)
            self.reason_buttons[reason] = button
        column.addLayout(grid)
        return page

    def _thanks_page(self) -> QWidget:
        page, column = self._page()
        words = TextLabel(self._theme, THANKS, role="title")
        words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(words, stretch=1)
        return page

    def ask(self, pictogram: str = "") -> None:
        """The faces again, for a new service (its pictogram heads the screen)."""
        self.pictogram = pictogram
        self._show(self.faces, ASK, SAY_ASK)

    def _face(self, rating: Rating) -> None:
        if rating == Rating.UNSATISFIED:
            self._show(self.reasons, ASK_REASON, SAY_ASK_REASON)
            self.moved.emit()
        else:
            self._rate(rating, ())

    def _rate(self, rating: Rating, reasons: tuple[Reason, ...]) -> None:
        self._show(self.thanks, "", SAY_THANKS, THANKED)
        self.moved.emit()
        self.rated.emit(rating, reasons)

    def _show(self, page: QWidget, shown: str, said: str, title: str = TITLE) -> None:
        self.pages.setCurrentWidget(page)
        self.title = title
        self.prompt = said
        self.question.setText(shown)
        self.question.setVisible(bool(shown))
        self.skip_button.setVisible(page is self.faces)  # past the faces, 不说了 and 返回 say it

    def handle_back(self) -> bool:
        """返回 from the reasons goes back to the faces; from the faces, it leaves (as 跳过)."""
        if self.pages.currentWidget() is self.reasons:
            self._show(self.faces, ASK, SAY_ASK)
            return True
        return False
