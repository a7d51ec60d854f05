"""A double tap through the real widgets: the second tap never presses what the first one brought up."""

import pytest
from PySide6.QtCore import QSize, Qt

import kiosk.ui.window
from kiosk.ui.paged_buttons import MORE
from kiosk.ui.shell import render

REAL_GUARD_MS = kiosk.ui.window.TAP_GUARD_MS  # read before the autouse fixture sets it to 0


@pytest.fixture
def guarded(shell, monkeypatch):
    monkeypatch.setattr(kiosk.ui.window, "TAP_GUARD_MS", REAL_GUARD_MS)
    render(shell, "home", QSize(1920, 1080))
    return shell


def _tap(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _after_the_guard(qtbot):
    qtbot.wait(REAL_GUARD_MS + 100)


def test_a_second_tap_as_a_screen_opens_presses_nothing_on_it(guarded, qtbot):
    window = guarded.window
    _after_the_guard(qtbot)
    _tap(qtbot, window.screens["home"].service_buttons["subsidy"])
    assert guarded.navigator.current == "service.subsidy"
    _tap(qtbot, window.back_button)  # where the finger came down again, the moment the screen changed
    assert guarded.navigator.current == "service.subsidy"
    _after_the_guard(qtbot)
    _tap(qtbot, window.back_button)
    assert guarded.navigator.at_home


def test_a_double_tap_on_next_moves_one_step_in_a_guide(guarded, qtbot):
    _after_the_guard(qtbot)
    _tap(qtbot, guarded.window.screens["home"].service_buttons["guides"])
    topics = guarded.guides.topics
    while not any(b.text() == "种粮补贴怎么领" for b in topics.buttons):
        _after_the_guard(qtbot)
        _tap(qtbot, next(b for b in topics.buttons if b.text() == MORE))
    _after_the_guard(qtbot)
    _tap(qtbot, next(b for b in topics.buttons if b.text() == "种粮补贴怎么领"))
    steps = guarded.guides.steps
    _after_the_guard(qtbot)
    _tap(qtbot, steps.next_button)
    _tap(qtbot, steps.next_button)
    assert steps.index == 1
    _after_the_guard(qtbot)
    _tap(qtbot, steps.next_button)
    assert steps.index == 2
