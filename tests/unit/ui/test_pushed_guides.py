"""The county's pushed guide set on the real 办事指南 screens: shown once swapped in, from its own folder."""

from PySide6.QtCore import QSize, Qt

from kiosk.paths import offline_cache_dir
from kiosk.services.reference import ReferenceFiles
from kiosk.ui.screens.guides import GUIDE
from kiosk.ui.shell import build_shell, render
from tests.helpers.guide_sets import push_sample


def _click(qtbot, button):
    assert button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _topics(shell, qtbot):
    _click(qtbot, shell.window.screens["home"].service_buttons["guides"])
    return shell.guides.topics


def test_the_pushed_set_is_shown_once_swapped_in(qapp, qtbot, kiosk_data_dir):
    shell = build_shell(qapp, dpi=102)
    try:
        render(shell, "home", QSize(1920, 1080))
        topics = _topics(shell, qtbot)
        assert topics.buttons[0].text() == "怎么在这里领补贴"

        sets = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir()).guide_sets
        push_sample(sets)  # the relay swaps a set in while she is on the guides screen
        assert topics.buttons[0].text() == "怎么在这里领补贴"  # nothing changes under her finger
        _click(qtbot, shell.window.home_button)
        topics = _topics(shell, qtbot)
        assert [b.text() for b in topics.buttons][:2] == ["医保报销", "防电信诈骗"]

        _click(qtbot, topics.buttons[0])
        assert shell.navigator.current == GUIDE
        steps = shell.guides.steps
        assert steps.text_to_repeat()  # read aloud like every guide
        picture = steps.guide.steps[0].picture
        assert picture is not None and picture.is_relative_to(sets.in_use().folder)
        assert steps.picture.image is not None and not steps.picture.image.isNull()
    finally:
        shell.window.close()
