"""Helper mode's 方言语音: the station records its own voice pack and teaches the kiosk its commands.

- 方言语音 (``staff.voice``): how much is recorded and taught; 录音, 教命令, 删除声音.
- 录音 (``staff.record``): the screens whose lines are not all recorded yet, a page at a time.
- one line (``staff.record.line``): the sentence large, 开始/停止, the level meter, 听一遍, 保存, 跳过.

Staff screens, but the same sizes as a villager's; none of them listens for spoken commands (what
the volunteer says is being recorded, not obeyed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.ui.paged_buttons import PagedButtons
from kiosk.ui.screens.base import Screen
from kiosk.ui.take import LevelMeter
from kiosk.ui.theme import BODY_GLYPH_MM, GAP_MM, TITLE_GLYPH_MM, Theme
from kiosk.ui.widgets import CHOICE, BigButton, TextLabel
from kiosk.voice.lines import phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.recording import ToRecord

VOICE = "staff.voice"
RECORD = "staff.record"
RECORD_LINE = "staff.record.line"
START, STOP, AGAIN = "开始", "停止", "重录"
SAID_GLYPH_MM = 13  # what to say, readable from where one stands at the microphone
SHORT, MEDIUM = 10, 24  # characters that fit on one line at that size, and at title size
VOICE_TITLE = phrase("screen.voice.title", "方言语音")
VOICE_PROMPT = phrase("screen.voice.prompt", "录下本地话的提示，教终端听懂本地话的命令。")
RECORD_TITLE = phrase("screen.record.title", "录音")
RECORD_PROMPT = phrase("screen.record.prompt", "选一页，把还没录的句子录下来。")
LINE_PROMPT = phrase("screen.record.line_prompt", "点「开始」，照着屏幕上的话说，说完点「停止」。")
# Which screen each group of lines belongs to, as a volunteer knows it; in the order she meets them.
GROUP_NAMES = {
    "home": "首页",
    "intro": "服务说明",
    "checkin": "登记身份",
    "face": "看摄像头",
    "welcome": "登记好了",
    "form": "填表",
    "receipt": "回执",
    "answer": "查询结果",
    "guides": "办事指南",
    "guide": "指南的步骤",
    "bar": "每页都有",
    "common": "常用的字",
    "idle": "超时提醒",
    "blocks": "数字和单位",
    "staff": "工作人员",
    "voice": "方言语音",
    "record": "录音",
    "teach": "教命令",
}


def said_font(theme: Theme, text: str):
    """As large as the line allows on the smallest panel: a word very large, a long prompt at body size."""
    glyph = SAID_GLYPH_MM if len(text) <= SHORT else (TITLE_GLYPH_MM if len(text) <= MEDIUM else BODY_GLYPH_MM)
    return theme.font(glyph, bold=True)


def group_order(services: list[str]):
    """Screens as a villager meets them; the services' own lines in the catalogue's order, after 首页."""
    names = list(GROUP_NAMES)

    def order(group: str) -> tuple[int, int]:
        service = group.removeprefix("service.")
        if group.startswith("service.") and service in services:
            return names.index("intro"), services.index(service)
        return (names.index(group) if group in names else len(names)), 0

    return order


class VoiceScreen(Screen):
    record_wanted = Signal()
    teach_wanted = Signal()
    remove_wanted = Signal()

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, VOICE, VOICE_TITLE, VOICE_PROMPT, parent)
        self.voice_context = None
        self.summary = TextLabel(theme, "")
        self.column.addWidget(self.summary)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.record_button = BigButton(theme, "录音", CHOICE, icon_name="record")
        self.teach_button = BigButton(theme, "教命令", CHOICE, icon_name="volunteer")
        self.remove_button = BigButton(theme, "删除声音", CHOICE)
        for button, signal in (
            (self.record_button, self.record_wanted),
            (self.teach_button, self.teach_wanted),
            (self.remove_button, self.remove_wanted),
        ):
            button.clicked.connect(signal)
            row.addWidget(button)
        self.column.addLayout(row, stretch=1)

    def show_summary(self, text: str) -> None:
        self.summary.setText(text)


class RecordScreen(Screen):
    """The screens with lines still to record, each with how many."""

    chosen = Signal(object)  # a ToRecord

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, RECORD, RECORD_TITLE, RECORD_PROMPT, parent)
        self.voice_context = None
        self._theme = theme
        self.summary = TextLabel(theme, "")
        self.column.addWidget(self.summary)
        self.grid = PagedButtons(theme)
        self.buttons = self.grid.buttons
        self.column.addLayout(self.grid, stretch=1)

    def show_todo(self, todo: list[ToRecord], names: Callable[[str], str], dialect: str, order) -> None:
        left_to_do = sorted((t for t in todo if t.missing), key=lambda t: order(t.group))
        recorded, total = sum(t.recorded for t in todo), sum(t.total for t in todo)
        left = f"还有 {len(left_to_do)} 页没录完，按钮上是还差几句。" if left_to_do else "全部录好了。"
        self.summary.setText(f"「{dialect}」已录 {recorded}/{total} 句。{left}")
        entries = [(f"{names(t.group)} {len(t.missing)}", self._chooser(t)) for t in left_to_do]
        self.grid.show_entries(entries, first_page=True)

    def show_message(self, text: str) -> None:
        self.summary.setText(text)

    def _chooser(self, todo: ToRecord):
        return lambda _=False: self.chosen.emit(todo)


class RecordLineScreen(Screen):
    """One line to record: the sentence, 开始/停止 (重录 after a take), the meter, 听一遍, 保存, 跳过."""

    start_stop = Signal()
    play = Signal()
    keep = Signal()
    skip = Signal()

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(theme, RECORD_LINE, RECORD_TITLE, LINE_PROMPT, parent)
        self.voice_context = None
        self.sentence = TextLabel(theme, "", role="title")
        self.sentence.setWordWrap(True)
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._theme = theme
        self.column.addWidget(self.sentence, stretch=1)
        self.meter = LevelMeter(theme)
        self.column.addWidget(self.meter)
        self.status = TextLabel(theme, "")
        self.column.addWidget(self.status)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.start_button = BigButton(theme, START, CHOICE, icon_name="record")
        self.play_button = BigButton(theme, "听一遍", CHOICE, icon_name="play")
        self.keep_button = BigButton(theme, "保存", CHOICE, icon_name="continue")
        self.skip_button = BigButton(theme, "跳过", CHOICE)
        for button, signal in (
            (self.start_button, self.start_stop),
            (self.play_button, self.play),
            (self.keep_button, self.keep),
            (self.skip_button, self.skip),
        ):
            policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            policy.setRetainSizeWhenHidden(True)  # nothing moves under her finger as the take goes on
            button.setSizePolicy(policy)
            button.clicked.connect(signal)
            row.addWidget(button)
        self.column.addLayout(row)

    def spoken_text(self) -> list[str]:
        return [RECORD_TITLE, "。", LINE_PROMPT]

    def show_line(self, group_name: str, text: str, number: int, total: int) -> None:
        self.step_label = f"{group_name} 第 {number}/{total} 句"
        self.sentence.setFont(said_font(self._theme, text))
        self.sentence.setText(f"「{text}」")
        self.show_state(recording=False, taken=False, status=LINE_PROMPT)
        self.meter.reset()

    def show_state(self, recording: bool, taken: bool, status: str) -> None:
        self.start_button.setText(STOP if recording else (AGAIN if taken else START))
        self.play_button.setVisible(taken and not recording)
        self.keep_button.setVisible(taken and not recording)
        self.skip_button.setVisible(not recording)
        self.status.setText(status)
