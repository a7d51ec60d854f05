"""首页 in the middle of a form asks before her answers are thrown away; nothing behind the question acts."""

from PySide6.QtCore import Qt

from kiosk.ui.screens.form import FORM
from tests.helpers.speech import RecordingSpeaker
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, kiosk  # noqa: F401 - fixture


def _started_subsidy(kiosk, qtbot):  # noqa: F811
    kiosk.window.speaker = RecordingSpeaker()
    _check_in_and_start(kiosk, qtbot, "subsidy")
    form = kiosk.services.form
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    return form


def test_home_with_answers_asks_first_and_keeping_on_keeps_every_answer(kiosk, qtbot):  # noqa: F811
    form = _started_subsidy(kiosk, qtbot)
    check = kiosk.window.leave_check
    _click(qtbot, kiosk.window.home_button)
    assert check.isVisible() and kiosk.window.modal is check
    assert kiosk.navigator.current == FORM
    assert "已经填的都会清掉" in "".join(kiosk.window.speaker.said[-1])
    _click(qtbot, check.keep_on)
    assert not check.isVisible() and kiosk.window.modal is None
    assert kiosk.navigator.current == FORM
    assert form.form.answers["subsidy_type"] == "farmland_protection"
    assert form.form.step.field.id == "area_mu"


def test_leaving_from_the_question_goes_home_and_wipes_the_form(kiosk, qtbot):  # noqa: F811
    form = _started_subsidy(kiosk, qtbot)
    _click(qtbot, kiosk.window.home_button)
    _click(qtbot, kiosk.window.leave_check.leave)
    assert kiosk.navigator.at_home
    assert form.form is None and kiosk.session.person is None
    assert not kiosk.window.leave_check.isVisible()


def test_a_tap_behind_the_question_does_nothing(kiosk, qtbot):  # noqa: F811
    form = _started_subsidy(kiosk, qtbot)
    _click(qtbot, kiosk.window.home_button)
    back = kiosk.window.back_button  # outside the question's card: on the veil itself
    where = back.mapTo(kiosk.window, back.rect().center())
    under_the_finger = kiosk.window.childAt(where)
    check = kiosk.window.leave_check
    assert under_the_finger is check or check.isAncestorOf(under_the_finger)
    qtbot.mouseClick(under_the_finger, Qt.MouseButton.LeftButton)
    assert form.form.step.field.id == "area_mu" and kiosk.navigator.current == FORM and check.isVisible()


def test_home_before_any_answer_goes_straight_home(kiosk, qtbot):  # noqa: F811
    _check_in_and_start(kiosk, qtbot, "subsidy")
    _click(qtbot, kiosk.window.home_button)
    assert kiosk.navigator.at_home and not kiosk.window.leave_check.isVisible()
