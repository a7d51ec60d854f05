"""Walking away mid-form: a spoken warning, one tap to stay, and at the end a wiped session."""

from PySide6.QtCore import QObject, QPoint, QSize, Qt, Signal
from PySide6.QtTest import QTest

from kiosk.app.idle import IdleClock
from kiosk.app.session import Person
from kiosk.ui.examples import render_state
from kiosk.ui.idle_guard import IdleGuard
from kiosk.ui.shell import build_shell
from kiosk.ui.voice_control import VoiceControl
from kiosk.voice.matcher import Intent
from tests.helpers.speech import RecordingSpeaker


class Ears:
    def listen(self, context):
        pass


class Voice(QObject):
    started = Signal(str)
    finished = Signal()


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


def _tap(window, widget, corner=False):
    """A tap where ``widget`` is drawn (near its top-left corner: off the warning's card), delivered by Qt
    to whatever is on top at that point."""
    inset = widget.height() // 5
    point = widget.mapTo(window, widget.rect().topLeft() + QPoint(inset, inset) if corner else widget.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    return point


def test_a_tap_anywhere_on_the_warning_stays_and_never_reaches_what_is_behind(qapp, qtbot):
    now = [0.0]
    shell = build_shell(qapp, dpi=102, speaker=RecordingSpeaker())
    guard = IdleGuard(shell.window, shell.navigator, IdleClock(120, 30, clock=lambda: now[0]), tick_ms=60_000)
    render_state(shell, "form.choice", QSize(1920, 1080))
    qtbot.waitExposed(shell.window)
    form = shell.services.form
    first = form.buttons[0]
    for behind in (first, shell.window.back_button, shell.window.home_button, shell.window.help_button):
        now[0] += 95
        guard.tick()
        assert guard.warning.isVisible()
        point = _tap(shell.window, behind, corner=True)
        assert not guard.warning.card.geometry().contains(point)  # the veil, not the card, is over it
        assert not guard.warning.isVisible() and shell.window.modal is None  # one tap extends
        assert form.form.step.number == 1 and shell.navigator.current == "form"  # and pressed nothing
        assert not shell.window.notice.isVisible()  # 叫志愿者 behind the veil did nothing either
        now[0] += 1
        guard.tick()
        assert not guard.warning.isVisible()  # the time-out counts afresh from the tap
    now[0] += 95
    guard.tick()
    _tap(shell.window, guard.warning.words)  # the card around the words is the warning too
    assert not guard.warning.isVisible()
    _tap(shell.window, first, corner=True)  # with the warning gone, the same tap answers the question
    assert form.form.step.number == 2
    shell.window.close()


def test_spoken_commands_wait_while_the_warning_shows(qapp):
    now = [0.0]
    shell = build_shell(qapp, dpi=102, speaker=RecordingSpeaker())
    guard = IdleGuard(shell.window, shell.navigator, IdleClock(120, 30, clock=lambda: now[0]), tick_ms=60_000)
    control = VoiceControl(shell.window, shell.navigator, Voice(), Ears())
    render_state(shell, "form.confirm", QSize(1920, 1080))
    now[0] += 95
    guard.tick()
    for said in (Intent("yes", "对"), Intent("home", "首页"), Intent("back", "返回")):
        control.heard.emit(said)
    assert shell.navigator.current == "form" and shell.services.form.form.step.field is None
    assert not shell.services.busy.holding  # 对 did not submit behind the warning
    guard.warning.stay.click()
    control.heard.emit(Intent("home", "首页"))  # as pressing 首页: her answers are not thrown away unasked
    assert shell.window.modal is shell.window.leave_check
    shell.window.leave_check.leave.click()
    assert shell.navigator.at_home
    shell.window.close()
