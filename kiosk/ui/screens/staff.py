"""Screens for volunteers and the technician: PIN, menu, queue, self-check.

Denser than a villager's screens (staff read them up close) but the same fonts, contrast and
target sizes; they never show a villager's personal data beyond what a receipt shows.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy

from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.ui.widgets import CHOICE, KEY, BigButton, TextLabel

PIN = "staff.pin"
MENU = "staff"
QUEUE = "staff.queue"
DOCTOR = "staff.doctor"
PIN_KEYS = ("1", "2", "3", "4", "5", "删", "6", "7", "8", "9", "0")
QUEUE_ROWS = 2  # set-aside items shown at once, oldest first; each fixed in turn brings up the next
DOCTOR_ROWS = 4
STATUS_WORDS = {"ok": "正常", "warning": "注意", "failure": "故障"}


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
        super().__init__(theme, PIN, "工作人员", "请输入您的 PIN，再点「确定」。")
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
        self.prompt = "请输入您的 PIN，再点「确定」。"
        self.message.setText(self.prompt)


class MenuScreen(_StaffScreen):
    queue_wanted = Signal()
    sync_wanted = Signal()
    listing_wanted = Signal()
    doctor_wanted = Signal()
    sign_out = Signal()

    def __init__(self, theme: Theme):
        super().__init__(theme, MENU, "工作人员", "请选要做的事。")
        self.calls = TextLabel(theme)
        self.calls.hide()
        self.column.addWidget(self.calls)
        grid = QGridLayout()
        grid.setSpacing(theme.mm(GAP_MM))
        self.queue_button = self._button("排队情况")
        self.sync_button = self._button("立即同步")
        self.listing_button = self._button("代卖农产品", "basket")
        self.doctor_button = self._button("设备自检")
        self.sign_out_button = self._button("退出")
        pairs = (
            (self.queue_button, self.queue_wanted),
            (self.sync_button, self.sync_wanted),
            (self.listing_button, self.listing_wanted),
            (self.doctor_button, self.doctor_wanted),
            (self.sign_out_button, self.sign_out),
        )
        for index, (button, signal) in enumerate(pairs):
            button.clicked.connect(signal)
            grid.addWidget(button, index // 3, index % 3)
        self.column.addLayout(grid, stretch=1)

    def show_operator(self, label: str, technician: bool) -> None:
        self.message.setText(f"{label}，您好。")
        self.doctor_button.setVisible(technician)

    def show_calls(self, times: list[str]) -> None:
        """Villagers who pressed 叫志愿者: the volunteer screen's notice."""
        self.calls.setText(f"有人叫志愿者：{'、'.join(times[-4:])}" if times else "")
        self.calls.setVisible(bool(times))

    def show_message(self, text: str) -> None:
        self.message.setText(text)


class QueueScreen(_StaffScreen):
    retry = Signal(str)
    discard = Signal(str)

    def __init__(self, theme: Theme):
        super().__init__(theme, QUEUE, "排队情况", "被退回的申请可以重发，或者删除。")
        self._rows: list[tuple[TextLabel, BigButton, BigButton]] = []
        self._ids: list[str | None] = [None] * QUEUE_ROWS
        for row_index in range(QUEUE_ROWS):
            row = QHBoxLayout()
            row.setSpacing(theme.mm(GAP_MM))
            label = TextLabel(theme)
            again = BigButton(theme, "重发", CHOICE)
            drop = BigButton(theme, "删除", CHOICE)
            for button in (again, drop):
                button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            again.clicked.connect(lambda _=False, i=row_index: self._act(self.retry, i))
            drop.clicked.connect(lambda _=False, i=row_index: self._act(self.discard, i))
            row.addWidget(label, stretch=1)
            row.addWidget(again)
            row.addWidget(drop)
            self.column.addLayout(row)
            self._rows.append((label, again, drop))
        self.column.addStretch(1)

    def show_queue(self, counts: dict, set_aside: list[tuple[str, str, str]]) -> None:
        """``set_aside``: (id, receipt and service, plain reason), oldest first."""
        summary = (
            f"等待发送 {counts['queued'] + counts['sending']} 件，已受理 {counts['accepted']} 件，"
            f"被退回 {counts['rejected']} 件。"
        )
        self.message.setText(summary)
        self.prompt = summary
        for index, (label, again, drop) in enumerate(self._rows):
            entry = set_aside[index] if index < len(set_aside) else None
            self._ids[index] = entry[0] if entry else None
            label.setText(f"{entry[1]}：{entry[2]}" if entry else "")
            for widget in (label, again, drop):
                widget.setVisible(entry is not None)

    def _act(self, signal, index: int) -> None:
        if self._ids[index] is not None:
            signal.emit(self._ids[index])


class DoctorScreen(_StaffScreen):
    def __init__(self, theme: Theme):
        super().__init__(theme, DOCTOR, "设备自检", "正在检查，请稍等。")
        self.message.setText(self.prompt)
        self.lines: list[TextLabel] = []
        self.column.addStretch(1)

    def show_results(self, results: list) -> None:
        for label in self.lines:
            label.hide()
            label.setParent(None)
        self.lines = []
        problems = [r for r in results if r.status != "ok"]
        shown = (problems or results)[:DOCTOR_ROWS]
        hidden = len(problems or results) - len(shown)
        more = f"另有 {hidden} 项，见 kiosk doctor。" if hidden else ""
        self.message.setText(f"共 {len(results)} 项，{len(problems)} 项要注意。{more}" if problems else "全部正常。")
        for at, result in enumerate(shown, start=1):
            label = TextLabel(self._theme, f"[{STATUS_WORDS[result.status]}] {result.label}：{result.detail}")
            self.column.insertWidget(at, label)
            self.lines.append(label)
        self.prompt = self.message.text()
