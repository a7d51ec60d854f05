"""Screens for volunteers and the technician: PIN, menu, queue, self-check.

Denser than a villager's screens (staff read them up close) but the same fonts, contrast and
target sizes; they never show a villager's personal data beyond what a receipt shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy

from kiosk.app.staff import photo_progress_words
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.rating import RATING_WORDS
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, KEY, NAV, BigButton, TextLabel
from kiosk.voice.lines import phrase

PIN = "staff.pin"
MENU = "staff"
QUEUE = "staff.queue"
DOCTOR = "staff.doctor"
PIN_KEYS = ("1", "2", "3", "4", "5", "删", "6", "7", "8", "9", "0")
QUEUE_ROWS = 20  # set-aside requests fetched for the dashboard, shown one at a time
DOCTOR_ROWS = 2
TEXT_GAP_MM = 2
STATUS_WORDS = {"ok": "正常", "warning": "注意", "failure": "故障"}
STAFF = phrase("screen.staff.title", "工作人员")
PIN_PROMPT = phrase("screen.staff.pin_prompt", "请输入您的 PIN，再点「确定」。")
MENU_PROMPT = phrase("screen.staff.menu_prompt", "请选要做的事。")
QUEUE_TITLE = phrase("screen.staff.queue_title", "排队情况")
QUEUE_PROMPT = phrase("screen.staff.queue_prompt", "被退回的申请可以改了重发、原样重发，或者删除。")
WAITING = phrase("screen.staff.waiting", "待发")
ACCEPTED = phrase("screen.staff.accepted", "已受理")
REJECTED = phrase("screen.staff.rejected", "被退回")
PUBLISHED = phrase("screen.staff.published", "农产品已上架")
DOCTOR_TITLE = phrase("screen.staff.doctor_title", "设备自检")
CHECKING = phrase("screen.staff.checking", "正在检查，请稍等。")
ALL_WELL = phrase("screen.staff.all_well", "全部正常。")
IN_ALL = phrase("screen.staff.in_all", "共")
TO_NOTE = phrase("screen.staff.to_note", "项要注意。")
MORE_CHECKS = phrase("screen.staff.more_checks", "另有")
SEE_DOCTOR = phrase("screen.staff.see_doctor", "项，见 kiosk doctor。")
# The store's own words for photos on their way (「照片 3/5，已传 60%」), said as the screen shows them.
PHOTOS = phrase("screen.staff.photos", "照片")
SENT = phrase("screen.staff.sent", "已传")
RATINGS = phrase("screen.staff.ratings", "好差评：")


class _StaffScreen(Screen):
    def __init__(self, theme: Theme, screen_id: str, title: str, prompt: str):
        super().__init__(theme, screen_id, title, prompt)
        self._theme = theme
        self.message = TextLabel(theme)
        self.column.addWidget(self.message)

    def _button(self, text: str, icon_name: str | None = None) -> BigButton:
        button = BigButton(self._theme, text, CHOICE, icon_name=icon_name)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button


class PinScreen(_StaffScreen):
    entered = Signal(str)

    def __init__(self, theme: Theme):
        super().__init__(theme, PIN, STAFF, PIN_PROMPT)
        self.message.setText(self.prompt)
        self.dots = TextLabel(theme, "", role="title")
        self.dots.setWordWrap(False)
        self.column.removeWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self.message, stretch=1)
        row.addWidget(self.dots)
        self.column.addLayout(row)
        grid = QGridLayout()
        grid.setSpacing(theme.mm(GAP_MM))
        self.keys: dict[str, BigButton] = {}
        for index, key in enumerate(PIN_KEYS):
            button = BigButton(theme, key, KEY)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 6, index % 6)
            self.keys[key] = button
        self.ok = BigButton(theme, "确定", CHOICE)
        self.ok.clicked.connect(self._enter)
        grid.addWidget(self.ok, 1, 5)
        self.column.addLayout(grid, stretch=1)
        self._pin = ""

    def press(self, key: str) -> None:
        self._pin = self._pin[:-1] if key == "删" else (self._pin + key)[:8]
        self.dots.setText("●" * len(self._pin))

    def _enter(self) -> None:
        pin, self._pin = self._pin, ""
        self.dots.clear()
        self.entered.emit(pin)

    def refuse(self, reason: str) -> None:
        self.message.setText(reason)
        self.prompt = reason

    def reset(self) -> None:
        self._pin = ""
        self.dots.clear()
        self.prompt = PIN_PROMPT
        self.message.setText(self.prompt)


class MenuScreen(_StaffScreen):
    queue_wanted = Signal()
    sync_wanted = Signal()
    listing_wanted = Signal()
    doctor_wanted = Signal()
    voice_wanted = Signal()
    sign_out = Signal()

    seen = Signal(int)  # 知道了: a villager's call is seen to

    def __init__(self, theme: Theme):
        super().__init__(theme, MENU, STAFF, MENU_PROMPT)
        # The header's banner says who is signed in; this line is for the calls, or else the last message.
        self.column.removeWidget(self.message)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        row.addWidget(self.message, stretch=1)
        self.seen_button = BigButton(theme, "知道了", NAV)
        policy = QSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)  # the buttons below stay put when the last call is seen to
        self.seen_button.setSizePolicy(policy)
        self.seen_button.clicked.connect(lambda: self._calls and self.seen.emit(self._calls[0][0]))
        self.seen_button.hide()
        row.addWidget(self.seen_button)
        self.column.addLayout(row)
        self._calls: list[tuple[int, str]] = []
        self._message = ""
        grid = QGridLayout()
        grid.setSpacing(theme.mm(GAP_MM))
        self.queue_button = self._button("排队情况")
        self.sync_button = self._button("立即同步")
        self.listing_button = self._button("代卖农产品", "basket")
        self.doctor_button = self._button("设备自检")
        self.voice_button = self._button("方言语音", "record")
        self.sign_out_button = self._button("退出")
        pairs = (
            (self.queue_button, self.queue_wanted),
            (self.sync_button, self.sync_wanted),
            (self.listing_button, self.listing_wanted),
            (self.voice_button, self.voice_wanted),
            (self.sign_out_button, self.sign_out),
        )
        for index, (button, signal) in enumerate(pairs):
            button.clicked.connect(signal)
            grid.addWidget(button, index // 3, index % 3)
        self.doctor_button.clicked.connect(self.doctor_wanted)
        grid.addWidget(self.doctor_button, 0, 2)  # where 代卖农产品 is for a volunteer: five choices either way
        self.column.addLayout(grid)
        self.column.addStretch(1)
        self.show_operator(False)

    def show_operator(self, technician: bool) -> None:
        self.doctor_button.setVisible(technician)
        self.listing_button.setVisible(not technician)

    def show_calls(self, calls: list[tuple[int, str]]) -> None:
        """Villagers who pressed 叫志愿者, oldest first as (id, when, where and at which step): one at a time."""
        self._calls = list(calls)
        self._refresh()

    def show_message(self, text: str) -> None:
        self._message = text
        self._refresh()

    def _refresh(self) -> None:
        if self._calls:  # a villager waiting comes first; what a button just did (正在同步…) still shows
            more = f"（还有 {len(self._calls) - 1} 个）" if len(self._calls) > 1 else ""
            called = f"有人叫志愿者：{self._calls[0][1]}{more}"
            self.message.setText(f"{called}\n{self._message}" if self._message else called)
        else:
            self.message.setText(self._message)
        self.seen_button.setVisible(bool(self._calls))


class QueueScreen(_StaffScreen):
    """The queue's counts, and the set-aside requests one at a time with their plain reason."""

    retry = Signal(str)
    discard = Signal(str)
    fix = Signal(str)

    def __init__(self, theme: Theme):
        super().__init__(theme, QUEUE, QUEUE_TITLE, QUEUE_PROMPT)
        self.column.setSpacing(theme.mm(TEXT_GAP_MM))  # lines of text, then one row of buttons: no targets apart
        self.item = TextLabel(theme)
        self.item.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.column.addWidget(self.item, stretch=1)
        row = QHBoxLayout()
        row.setSpacing(theme.mm(GAP_MM))
        self.retry_button = self._button("重发")
        self.discard_button = self._button("删除")
        self.fix_button = self._button("改了重发")
        self.next_button = self._button("下一件")
        self.retry_button.clicked.connect(lambda: self._act(self.retry))
        self.discard_button.clicked.connect(lambda: self._act(self.discard))
        self.fix_button.clicked.connect(lambda: self._act(self.fix))
        self.next_button.clicked.connect(self._next)
        for button in (self.fix_button, self.retry_button, self.discard_button, self.next_button):
            row.addWidget(button)
        self.column.addLayout(row)
        self._items: list[tuple[str, str, str]] = []
        self._at = 0

    def show_queue(self, counts: dict, set_aside: list[tuple[str, str, str]]) -> None:
        """``set_aside``: (id, receipt and service, plain reason), oldest first."""
        waiting = counts["queued"] + counts["sending"]
        summary = f"{WAITING} {waiting}，{ACCEPTED} {counts['accepted']}，{REJECTED} {counts['rejected']}"
        # One line even on a small dense panel: while photos are on their way, their progress takes the
        # place of the published count (the listings waiting for them are not published yet anyway).
        photos = photo_progress_words(counts)
        if photos:
            summary += f"，{photos}"
        elif counts.get("published"):
            summary += f"，{PUBLISHED} {counts['published']}"
        ratings = counts.get("ratings")
        if ratings:
            summary += f"\n{RATINGS}" + "，".join(f"{RATING_WORDS[r]} {n}" for r, n in ratings.items())
        self.message.setText(summary)
        self.prompt = summary
        # Read again every few seconds: the one she is looking at stays on screen while it is still there.
        looking_at = self._items[self._at][0] if self._at < len(self._items) else None
        self._items = list(set_aside)
        self._at = next((n for n, entry in enumerate(self._items) if entry[0] == looking_at), 0)
        self._show_item()

    def _show_item(self) -> None:
        entry = self._items[self._at] if self._at < len(self._items) else None
        self.item.setText(f"{entry[1]}：{entry[2]}" if entry else "没有被退回的申请。")
        for button in (self.fix_button, self.retry_button, self.discard_button):
            button.setVisible(entry is not None)
        self.next_button.setVisible(len(self._items) > 1)

    def _next(self) -> None:
        self._at = (self._at + 1) % len(self._items)
        self._show_item()

    def _act(self, signal) -> None:
        if self._at < len(self._items):
            signal.emit(self._items[self._at][0])


class DoctorScreen(_StaffScreen):
    def __init__(self, theme: Theme):
        super().__init__(theme, DOCTOR, DOCTOR_TITLE, CHECKING)
        self.message.setText(self.prompt)
        self.lines: list[TextLabel] = []
        self.column.addStretch(1)

    def show_results(self, results: list) -> None:
        for label in self.lines:
            label.hide()
            label.setParent(None)
        self.lines = []
        problems = sorted((r for r in results if r.status != "ok"), key=lambda r: r.status != "failure")
        shown = (problems or results)[:DOCTOR_ROWS]
        hidden = len(problems or results) - len(shown)
        more = f"{MORE_CHECKS} {hidden} {SEE_DOCTOR}" if hidden else ""
        summary = f"{IN_ALL} {len(results)} 项，{len(problems)} {TO_NOTE}{more}"
        self.message.setText(summary if problems else ALL_WELL)
        for at, result in enumerate(shown, start=1):
            label = TextLabel(self._theme, f"[{STATUS_WORDS[result.status]}] {result.label}：{result.detail}")
            self.column.insertWidget(at, label)
            self.lines.append(label)
        self.prompt = self.message.text()
