"""The real ``kiosk`` command, as a technician or a service manager starts it."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _kiosk(*args, env_extra=None, timeout=60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_run_quit_when_ready_exits_zero_once_home_is_painted():
    result = _kiosk("run", "--quit-when-ready")
    assert result.returncode == 0, result.stderr
    # Qt's own note that the screenless test platform cannot resize windows is the only thing said.
    said = [line for line in result.stderr.splitlines() if "does not support propagateSizeHints" not in line]
    assert said == []


# What the painted home must not wait for: each of these costs tens to hundreds of milliseconds to import.
HEAVY = ("numpy", "cv2", "sqlite_utils", "requests", "jsonschema", "dlib", "vosk", "av", "cryptography")


def test_nothing_heavy_is_imported_before_the_home_screen_is_painted(tmp_path):
    """--quit-when-ready starts no background work, so what it imported is what the first paint needed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kiosk", "run", "--quit-when-ready"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    imported = {line.rpartition("|")[2].strip() for line in lines if line.startswith("import time")}
    assert imported, "importtime printed nothing"
    assert "PySide6.QtWidgets" in imported
    assert sorted(imported & set(HEAVY)) == []


def test_bare_kiosk_with_flags_runs_the_ui():
    assert _kiosk("--windowed", "--quit-when-ready").returncode == 0


def test_no_display_is_a_plain_message_not_a_crash():
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "run"], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "没有找到屏幕" in result.stderr and "Traceback" not in result.stderr


def test_bad_size_is_refused_by_the_parser():
    result = _kiosk("screenshot", "--size", "big", "--out", "x.png")
    assert result.returncode == 2
    assert "WIDTHxHEIGHT" in result.stderr
