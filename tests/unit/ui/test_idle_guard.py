"""Walking away mid-form: a spoken warning, one tap to stay, and at the end a wiped session."""

from PySide6.QtCore import QSize, Qt

from kiosk.app.idle import IdleClock
from kiosk.app.session import Person
from kiosk.ui.examples import render_state
from kiosk.ui.idle_guard import IdleGuard
from kiosk.ui.shell import build_shell
from tests.helpers.speech import RecordingSpeaker


def test_warn_extend_then_expire_wipes_everything(qapp, qtbot):
    now = [0.0]
    recorder = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=recorder)
    guard = IdleGuard(shell.window, shell.navigator, IdleClock(120, 30, clock=lambda: now[0]), tick_ms=60_000)
    render_state(shell, "form.confirm", QSize(1920, 1080))
    shell.session.check_in(Person("张秀英", "410102195001012343", "card"))
    now[0] += 95
    guard.tick()
    assert guard.warning.isVisible() and "25 秒后回到首页" in guard.warning.words.text()
    assert recorder.said[-1].startswith("还在吗？25秒后回到首页")
    for _ in range(3):  # as many extensions as the villager needs
        qtbot.mouseClick(guard.warning.stay, Qt.MouseButton.LeftButton)
        assert not guard.warning.isVisible()
        now[0] += 95
        guard.tick()
        assert guard.warning.isVisible()
    now[0] += 30
    guard.tick()
    assert shell.navigator.at_home and not guard.warning.isVisible()
    assert shell.session.person is None and shell.services.form.form is None
    shell.window.close()
