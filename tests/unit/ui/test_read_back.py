"""The read-back before 对，提交, through the real widgets: what she checks is what she chose, with whose it is."""

from PySide6.QtCore import QSize

from kiosk.ui.examples import render_state
from kiosk.ui.screens.form import MORE
from kiosk.ui.shell import build_shell
from kiosk.ui.widgets import TextLabel


def _shown(shell) -> list[str]:
    return [label.text() for label in shell.services.form.findChildren(TextLabel) if label.isVisible()]


def test_the_listings_price_is_read_back_per_its_unit(qapp):
    shell = build_shell(qapp, dpi=102)
    render_state(shell, "form.confirm", QSize(1920, 1080))
    form = shell.services.form
    shown = []
    for _ in range(len(form.form.read_back())):  # every screen of the read-back, by its 还有别的
        shown += [button.text() for button in form.answer_buttons.values()]
        more = [button for button in form.buttons if button.text() == MORE]
        if not more:
            break
        more[0].click()
    assert "单价：3.50元/斤" in shown and "数量：30斤" in shown
    shell.window.close()


def test_a_certification_reads_back_whose_it_is_first(qapp):
    from kiosk.app.session import CheckinMethod, FaceEvidence, Person
    from tests.helpers.speech import RecordingSpeaker

    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    live = FaceEvidence(b"\xff\xd8 live face", {"method": "live"})
    shell.session.check_in(Person("张秀英", "410102195001012343", CheckinMethod.CARD, live))
    shell.services.begin(shell.catalogue.service("pension_cert"))  # the live face proven: the read-back
    form = shell.services.form
    assert form.form.step.field is None
    shell.window.resize(QSize(1920, 1080))
    shell.window.show()
    assert [t for t in _shown(shell) if "：" in t] == ["姓名：张*英", "人脸照片：已拍好"]
    assert "姓名，张某英；人脸照片，已拍好" in speaker.said[-1]
    assert [b.text() for b in form.buttons] == ["对，提交"]  # nothing here to change: no 不对 to a dead end
    shell.window.go_home()  # the proven face is not thrown away without asking
    assert shell.navigator.current == "form" and shell.window.leave_check.isVisible()
    shell.session.clear()  # she left: nobody's name on the next read-back
    assert form.person_name == ""
    shell.window.close()


def test_the_price_question_opened_from_the_read_back_asks_per_the_chosen_unit(qapp):
    from kiosk.ui.lines import screen_lines
    from kiosk.voice.planner import SpeechPlanner, station_registry

    shell = build_shell(qapp, dpi=102)
    render_state(shell, "form.confirm", QSize(1280, 800))
    form = shell.services.form
    while "price" not in form.answer_buttons:
        next(button for button in form.buttons if button.text() == MORE).click()
    form.answer_buttons["price"].click()
    assert form.form.step.field.id == "price"
    assert form.question.text().startswith("每斤卖多少钱？")
    planner = SpeechPlanner(station_registry(screen_lines()))
    assert planner.unkeyed(form.spoken_text()) == []  # 每 · 斤 · 卖多少钱？: each piece recordable
    shell.window.close()


def test_submit_waits_until_every_screen_of_answers_has_been_seen(qapp):
    shell = build_shell(qapp, dpi=102)
    render_state(shell, "form.confirm", QSize(1280, 800))
    form = shell.services.form
    submitted = []
    form.confirmed.connect(lambda: submitted.append(True))

    def texts() -> list[str]:
        return [button.text() for button in form.buttons]

    screens = 1
    while "对，提交" not in texts():
        assert texts()[0] == MORE and "不对，改一下" in texts()  # 还有别的 stands where 对，提交 will be
        assert "看完再提交" in "".join(map(str, form.spoken_text()))
        form.buttons[0].click()
        screens += 1
    assert screens == 3  # the listing's answers fill three screens
    assert texts()[0] == "对，提交" and texts().count(MORE) == 1  # now 还有别的 pages round again
    next(button for button in form.buttons if button.text() == MORE).click()
    first = next(iter(form.answer_buttons))
    form.answer_buttons[first].click()  # she changes an answer on the first screen...
    form.answered.emit(form.form.answered(form.form.step.field))
    assert form.form.step.field is None and texts()[0] == "对，提交"  # ...and need not page through again
    form.buttons[0].click()
    assert submitted == [True]
    shell.window.close()
