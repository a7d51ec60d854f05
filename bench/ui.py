"""Time from a simulated tap to the next screen painted, for every screen transition, offscreen.

    python bench/ui.py [--repeats 20] [--size 1920x1080]

Each transition is a real mouse click on the real button (or the screen change the tap
causes), timed until the new screen's first paint event. Baseline in the same run: switching
a bare QStackedWidget between two empty pages. Target (issue 5): p95 <= 50 ms; the worst
transition is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.app.session import Person
from kiosk.ui.shell import application, build_shell, render


class PaintClock(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted_at: float | None = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.perf_counter()
        return False


def timed(app, target: QWidget, action) -> float:
    clock = PaintClock()
    target.installEventFilter(clock)
    start = time.perf_counter()
    action()
    while clock.painted_at is None and time.perf_counter() - start < 2:
        app.processEvents()
    target.removeEventFilter(clock)
    return (clock.painted_at or time.perf_counter()) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = application(offscreen=True)
    shell = build_shell(app)
    render(shell, "home", QSize(width, height))
    window, screens, nav = shell.window, shell.window.screens, shell.navigator
    click = lambda button: lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # noqa: E731
    transitions = {
        "home → 补贴申领": (click(screens["home"].service_buttons["subsidy"]), "service.subsidy"),
        "补贴申领 → 首页": (click(window.home_button), "home"),
        "home → 办事指南": (click(screens["home"].service_buttons["guides"]), "service.guides"),
        "办事指南 → 指南正文": (click(screens["service.guides"].buttons[0]), "guide"),
        "指南正文 → 返回": (click(window.back_button), "service.guides"),
        "home → 登记身份": (lambda: (nav.home(), nav.open("checkin")), "checkin"),
        "登记身份 → 看摄像头": (click(shell.checkin.choice.face_button), "checkin.face"),
        "表单开始": (lambda: shell.services.begin(shell.catalogue.service("subsidy")), "form"),
        "登记 → 欢迎": (
            lambda: (shell.session.check_in(Person("张秀英", "410102195001012343", "card")), nav.open("checkin.done")),
            "checkin.done",
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in transitions}
    for _ in range(args.repeats):
        for name, (action, target) in transitions.items():
            times[name].append(timed(app, screens[target], action))
        nav.home()
    stack, pages = QStackedWidget(), [QWidget(), QWidget()]
    for page in pages:
        stack.addWidget(page)
    stack.resize(width, height)
    stack.show()
    baseline = [timed(app, pages[n % 2], lambda n=n: stack.setCurrentIndex(n % 2)) for n in range(1, 2 * args.repeats)]
    every = sorted(t for ts in times.values() for t in ts)
    p95 = every[int(0.95 * (len(every) - 1))] * 1000
    worst = max(times, key=lambda n: max(times[n]))
    for name, ts in times.items():
        print(f"{name:16s} median {statistics.median(ts) * 1000:6.1f} ms   max {max(ts) * 1000:6.1f} ms")
    print(f"bare QStackedWidget switch median {statistics.median(baseline) * 1000:.1f} ms")
    print(f"all transitions: p95 {p95:.1f} ms (target <= 50), worst: {worst} at {max(times[worst]) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
