"""Start-up time and memory of the kiosk against a bare PySide6 window, as whole processes.

    python bench/startup.py [--runs 7]

Both are started the same number of times, alternating, offscreen. Each run is timed from
spawn to exit: the kiosk with ``kiosk run --quit-when-ready`` (exits once home is painted),
the baseline a bare QWidget that shows, paints once and quits. Prints median wall time,
peak RSS and the ratios. Targets (issue 2): ≤ 3× the bare-Qt time, ≤ 150 MiB peak RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE_QT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
window = QWidget()
window.installEventFilter(FirstPaint(window))
window.resize(1920, 1080)
window.show()
sys.exit(app.exec())
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=tempfile.mkdtemp(prefix="kiosk-bench-"))
    # As installed: pip compiles the kiosk's bytecode at install, so the warm-up run may write it here too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {
        "bare PySide6": [sys.executable, "-c", BARE_QT],
        "kiosk": [sys.executable, "-m", "kiosk", "run", "--quit-when-ready"],
    }
    for command in commands.values():  # warm the OS file cache once, untimed
        measure(command, env)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            results[name].append(measure(command, env))
    medians = {name: (statistics.median(t for t, _ in runs), max(r for _, r in runs)) for name, runs in results.items()}
    for name, (wall, rss) in medians.items():
        print(f"{name:14s} median {wall * 1000:7.0f} ms   peak RSS {rss:6.1f} MiB   ({args.runs} runs)")
    (bare_wall, bare_rss), (kiosk_wall, kiosk_rss) = medians["bare PySide6"], medians["kiosk"]
    print(f"ratio kiosk/bare: time {kiosk_wall / bare_wall:.2f}x (target <= 3x), RSS {kiosk_rss / bare_rss:.2f}x")
    print(f"kiosk peak RSS {kiosk_rss:.1f} MiB (target <= 150 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
