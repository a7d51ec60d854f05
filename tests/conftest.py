import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from kiosk.ui.keyboard import prefer_on_screen_keyboard

prefer_on_screen_keyboard()  # before pytest-qt makes the application: Qt reads it then


@pytest.fixture(autouse=True)
def kiosk_data_dir(tmp_path, monkeypatch):
    """Every test writes only into its own data directory."""
    path = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def no_video_left_loaded():
    """A test's screens outlive it until they are collected: a guide video left loaded in one kept its
    decoder's threads running under the tests after it, and now and then one of those threads crashed
    the whole run (a segfault with no Python frame, seen in 2 of 5 full runs). Each is stopped after its
    test, as the kiosk stops it when she leaves."""
    yield
    screens = sys.modules.get("kiosk.ui.screens.guide_video")  # never imported: no video was made
    if screens is None:
        return
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.allWidgets():
        if isinstance(widget, screens.GuideVideoScreen):
            widget.player.stop()


@pytest.fixture
def province(tmp_path):
    from tests.helpers.province import start_province

    running = start_province(tmp_path / "province.db")
    yield running
    running.stop()


@pytest.fixture
def store(kiosk_data_dir):
    from kiosk.store.store import open_store

    opened = open_store(kiosk_data_dir)
    yield opened
    opened.close()


# Shared by the face tests: the models load once per run.
from tests.helpers.faces import analyzer, astronaut  # noqa: E402, F401
from tests.helpers.link import emulated_link  # noqa: E402, F401
