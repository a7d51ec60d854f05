import pytest
from PySide6.QtCore import QSize, Qt

from kiosk.paths import assets_dir
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.shell import render
from kiosk.ui.theme import GAP_MM, TARGET_MM
from kiosk.ui.widgets import icon
from kiosk.ui.window import HELP_NOTICE, HELP_SHOWN
from tests.helpers.speech import RecordingSpeaker


def test_each_home_button_opens_its_service_and_back_and_home_return(shell, qtbot):
    render(shell, "home", QSize(1920, 1080))
    home = shell.window.screens["home"]
    assert [b.text() for b in home.service_buttons.values()] == [s.label for s in shell.catalogue.services]
    for service in shell.catalogue.services:
        qtbot.mouseClick(home.service_buttons[service.id], Qt.MouseButton.LeftButton)
        shown = shell.window.stack.currentWidget()
        assert shown.screen_id == f"service.{service.id}"
        assert shell.window.title.text() == service.label
        assert shell.window.back_button.isVisible()
        qtbot.mouseClick(shell.window.back_button, Qt.MouseButton.LeftButton)
        assert shell.window.stack.currentWidget() is home
        assert not shell.window.back_button.isVisible()
        qtbot.mouseClick(home.service_buttons[service.id], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(shell.window.home_button, Qt.MouseButton.LeftButton)
        assert shell.window.stack.currentWidget() is home


def test_home_buttons_carry_the_catalogues_pictures_and_the_sixth_calls_a_volunteer(shell, qtbot):
    render(shell, "home", QSize(1920, 1080))
    home = shell.window.screens["home"]
    for service in shell.catalogue.services:
        drawn = home.service_buttons[service.id].icon().pixmap(QSize(64, 64)).toImage()
        assert drawn == icon(service.icon).pixmap(QSize(64, 64)).toImage()
    assert not shell.window.help_button.isVisible()  # home's own, larger, takes its place
    with qtbot.waitSignal(shell.window.help_requested):
        qtbot.mouseClick(home.help_button, Qt.MouseButton.LeftButton)
    assert shell.window.notice.text() == HELP_SHOWN
    qtbot.mouseClick(home.service_buttons["subsidy"], Qt.MouseButton.LeftButton)
    assert shell.window.help_button.isVisible() and shell.window.pictogram.isVisible()


def test_window_is_full_screen_and_frameless_in_kiosk_mode(shell, qtbot):
    shell.window.show_kiosk()
    qtbot.waitUntil(lambda: shell.window.isFullScreen())
    assert shell.window.geometry() == shell.window.screen().geometry()
    assert shell.window.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_labels_render_in_the_bundled_font(shell):
    render(shell, "home", QSize(1920, 1080))
    family = load_bundled_fonts(assets_dir() / "fonts")
    assert family == "Kiosk Sans SC"
    home = shell.window.screens["home"]
    for widget in (home.voice_hint, shell.window.title, home.service_buttons["subsidy"]):
        assert widget.fontInfo().family() == family


def test_help_button_shows_and_speaks_the_notice(qapp, qtbot):
    from kiosk.ui.shell import build_shell

    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "service.guides", QSize(1920, 1080))
    assert speaker.said[-1].startswith("办事指南。")
    with qtbot.waitSignal(shell.window.help_requested):
        qtbot.mouseClick(shell.window.help_button, Qt.MouseButton.LeftButton)
    assert speaker.said[-1] == HELP_NOTICE
    stops = speaker.stops
    qtbot.mouseClick(shell.window.repeat_button, Qt.MouseButton.LeftButton)
    assert speaker.stops == stops + 1 and speaker.said[-1] == "办事指南。点一项，就给您读出来。"
    shell.window.close()


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(1280, 800)])
def test_called_is_said_and_shown_large_in_the_middle_for_a_few_seconds(qapp, qtbot, monkeypatch, size):
    from kiosk.ui import window as kiosk_window
    from kiosk.ui.shell import build_shell

    monkeypatch.setattr(kiosk_window, "CALLED_SHOWN_MS", 300)
    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "service.subsidy", size)
    window = shell.window
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    notice = window.notice
    assert notice.isVisible() and notice.text() == HELP_SHOWN and speaker.said[-1] == HELP_NOTICE
    centre = notice.mapTo(window, notice.rect().center())
    assert (centre - window.stack.mapTo(window, window.stack.rect().center())).manhattanLength() < shell.theme.mm(5)
    assert notice.font().pixelSize() > window.title.font().pixelSize()  # larger than the header's words
    assert notice.width() > window.width() // 2 and not notice.sizeHint().width() > notice.width()
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=5_000)  # then the screen is hers again
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)  # a tap puts it away, and presses nothing behind
    assert not notice.isVisible() and shell.navigator.current == "service.subsidy"
    shell.window.close()


def test_status_strip_follows_the_sync_status_in_words(qapp, qtbot, monkeypatch):
    from kiosk.app.status import KioskStatus
    from kiosk.sync.status import Network
    from kiosk.ui import shell as root

    class Source:
        value = KioskStatus(Network.OFFLINE, 3)

        def status(self):
            return self.value

    source = Source()
    monkeypatch.setattr(root, "STATUS_EVERY_MS", 10)
    shell = root.build_shell(qapp, dpi=102, status=source)
    qtbot.waitUntil(lambda: "离线 · 待发3" in shell.window.status_strip.text.text())
    source.value = KioskStatus(Network.ONLINE, 0)
    qtbot.waitUntil(lambda: "在线 · 待发0" in shell.window.status_strip.text.text())
    shell.window.close()


def test_guides_work_offline_from_the_cache_and_are_read_aloud(qapp, qtbot):
    from kiosk.ui.shell import build_shell

    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "home", QSize(1920, 1080))
    qtbot.mouseClick(shell.window.screens["home"].service_buttons["guides"], Qt.MouseButton.LeftButton)
    topics = shell.window.screens["service.guides"].buttons
    assert [b.text() for b in topics][:2] == ["怎么在这里领补贴", "怎么在这里查社保"]
    qtbot.mouseClick(topics[0], Qt.MouseButton.LeftButton)
    page = shell.window.screens["guide"]
    assert shell.window.title.text() == "怎么在这里领补贴" and "补贴申领" in page.sentence.text()
    assert speaker.said[-1].startswith("怎么在这里领补贴。第1步。在首页点「补贴申领」")
    shell.window.close()


def test_home_shows_the_station_name_the_configuration_gives(qapp, monkeypatch):
    from kiosk.config import load_config
    from kiosk.ui.shell import build_shell

    monkeypatch.setenv("KIOSK_STATION_NAME", "东村便民服务站")
    shell = build_shell(qapp, load_config(), dpi=102)
    render(shell, "home", QSize(1280, 800))
    assert shell.window.title.text() == "东村便民服务站" == shell.window.screens["home"].title
    shell.window.close()


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(1280, 800)])
def test_the_staff_button_is_nowhere_near_back_home_or_repeat(shell, size):
    """A 返回 or 首页 tapped just as a screen goes home must not land on 工作人员."""
    window = shell.window
    render(shell, "home", size)
    staff = window.staff_button
    assert staff.isVisible() and min(staff.width(), staff.height()) >= shell.theme.mm(TARGET_MM)
    at = _in_window(window, staff)
    render(shell, "service.subsidy", size)
    assert not staff.isVisible()
    gap = shell.theme.mm(GAP_MM)
    for button in (window.back_button, window.home_button, window.repeat_button):
        shown = _in_window(window, button).adjusted(-gap, 0, gap, 0)
        assert button.isVisible() and not shown.intersects(at), button.text()


def _in_window(window, widget):
    return widget.geometry().translated(widget.parentWidget().mapTo(window, widget.parentWidget().rect().topLeft()))
