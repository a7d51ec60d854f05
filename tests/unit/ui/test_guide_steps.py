"""办事指南 through the real widgets: topics a page at a time, one step a screen, each step read aloud."""

import pytest
from PySide6.QtCore import QSize, Qt

from kiosk.ui.paged_buttons import MORE
from kiosk.ui.screens.guides import DONE, GUIDE
from kiosk.ui.shell import build_shell, render
from tests.helpers.audit import audit
from tests.helpers.speech import RecordingSpeaker


@pytest.fixture
def spoken(qapp):
    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "home", QSize(1920, 1080))
    yield shell, speaker
    shell.window.close()


def _click(qtbot, button):
    assert button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _open(shell, qtbot, label):
    _click(qtbot, shell.window.screens["home"].service_buttons["guides"])
    topics = shell.guides.topics
    for _ in range(3):
        found = [b for b in topics.buttons if b.text() == label]
        if found:
            _click(qtbot, found[0])
            return
        _click(qtbot, next(b for b in topics.buttons if b.text() == MORE))
    raise AssertionError(f"no topic {label}")


def test_topics_come_a_page_at_a_time_and_start_again_from_the_first(spoken, qtbot):
    shell, _ = spoken
    _click(qtbot, shell.window.screens["home"].service_buttons["guides"])
    topics = shell.guides.topics
    pages = []
    for _ in range(-(-len(topics.guides) // 4)):  # four topics a page, and 还有别的
        labels = [b.text() for b in topics.buttons]
        assert len(labels) <= 5 and labels[-1] == MORE
        pages.append(labels[:-1])
        _click(qtbot, topics.buttons[-1])
    assert pages[0][0] == "怎么在这里领补贴"
    assert sorted(label for page in pages for label in page) == sorted(g.label for g in topics.guides)
    assert [b.text() for b in topics.buttons][:-1] == pages[0]  # round again
    _click(qtbot, topics.buttons[-1])
    _click(qtbot, shell.window.home_button)
    _click(qtbot, shell.window.screens["home"].service_buttons["guides"])
    assert [b.text() for b in topics.buttons][:-1] == pages[0]


def test_each_step_shows_its_picture_and_sentence_and_is_read_as_it_shows(spoken, qtbot):
    shell, speaker = spoken
    _open(shell, qtbot, "种粮补贴怎么领")
    steps = shell.guides.steps
    guide = steps.guide
    window = shell.window
    assert shell.navigator.current == GUIDE and window.title.text() == "种粮补贴怎么领"
    seen = []
    for n, step in enumerate(guide.steps, start=1):
        assert window.step.text() == f"第 {n} 步 / 共 {len(guide.steps)} 步"
        assert steps.sentence.text() == step.text
        assert steps.picture.image is not None and steps.picture.image.size() == QSize(1280, 720)
        assert speaker.said[-1] == f"种粮补贴怎么领。第{n}步。{step.text}"
        assert steps.previous_button.isVisible() == (n > 1)
        assert not steps.video_button.isVisible()  # this guide has no video
        assert audit(window, shell.theme) == []
        seen.append(steps.picture.image.cacheKey())
        if n < len(guide.steps):
            _click(qtbot, steps.next_button)
    assert len(set(seen)) == len(guide.steps)
    assert steps.next_button.text() == DONE
    _click(qtbot, steps.previous_button)
    assert window.step.text() == f"第 {len(guide.steps) - 1} 步 / 共 {len(guide.steps)} 步"
    assert speaker.said[-1].endswith(guide.steps[-2].text)
    _click(qtbot, steps.next_button)
    _click(qtbot, steps.next_button)  # 看完了: back to the topics
    assert shell.navigator.current == "service.guides" and not window.step.isVisible()


def test_repeat_reads_the_whole_guide_and_moving_on_stops_it(spoken, qtbot):
    shell, speaker = spoken
    _open(shell, qtbot, "身份证丢了怎么办")
    guide = shell.guides.steps.guide
    _click(qtbot, shell.guides.steps.next_button)
    stops = speaker.stops
    _click(qtbot, shell.window.repeat_button)
    whole = speaker.said[-1]
    assert whole.startswith("身份证丢了怎么办。第1步，")
    assert all(f"第{n}步，{s.text}" in whole for n, s in enumerate(guide.steps, start=1))
    _click(qtbot, shell.guides.steps.next_button)
    assert speaker.stops > stops + 1 and speaker.said[-1].endswith(guide.steps[2].text)


def test_back_leaves_the_guide_and_a_guide_with_a_video_offers_it(spoken, qtbot):
    shell, _ = spoken
    _open(shell, qtbot, "怎么在这里领补贴")
    steps = shell.guides.steps
    assert steps.video_button.isVisible()
    _click(qtbot, steps.next_button)
    _click(qtbot, shell.window.back_button)
    assert shell.navigator.current == "service.guides"
    _click(qtbot, shell.window.home_button)
    assert steps.guide is None and steps.sentence.text() == ""
