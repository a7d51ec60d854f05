"""好差评 by taps: offered on the way home from a receipt, spoken, skippable, and queued to the province
through the kiosk's own relay."""

import pytest
import requests
from PySide6.QtCore import QSize

from kiosk.app.rate import RATING_SERVICE
from kiosk.ui import checkin_flow, rating_flow
from kiosk.ui.screens.rating import RATING
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.screens.staff import MENU, QUEUE
from kiosk.ui.shell import build_shell, render
from tests.helpers.speech import RecordingSpeaker
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, _key_in


@pytest.fixture
def kiosk(qapp, running, store, devices, monkeypatch):  # noqa: F811
    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 100)
    monkeypatch.setattr(rating_flow, "THANKS_MS", 50)
    speaker = RecordingSpeaker()
    shell = build_shell(
        qapp, running.config, dpi=102, speaker=speaker, devices=devices, backend=running.backend, status=running.relay
    )
    shell.spoken = speaker.said
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def _apply_for_a_subsidy(kiosk, qtbot):
    _check_in_and_start(kiosk, qtbot, "subsidy")
    form = kiosk.services.form
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _key_in(qtbot, form, "8")
    _key_in(qtbot, form, "13800138000")
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)


def test_a_rating_reaches_the_province_with_its_request_and_the_volunteers_see_the_counts(
    kiosk, qtbot, store, province
):
    _apply_for_a_subsidy(kiosk, qtbot)
    [request] = store.outbox.items()
    _click(qtbot, kiosk.window.home_button)  # done with the receipt: the faces on the way home
    screen = kiosk.rating.screen
    assert kiosk.navigator.current == RATING and kiosk.window.pictogram.isVisible()
    assert kiosk.spoken[-1].startswith("请您评价。这次办得怎么样？请点一个：满意、基本满意、不满意。")
    _click(qtbot, screen.face_buttons["unsatisfied"])
    assert kiosk.spoken[-1].startswith("请您评价。哪里不满意？") and len(screen.reason_buttons) <= 5
    _click(qtbot, screen.reason_buttons["hard_to_use"])
    assert kiosk.spoken[-1] == "谢谢您。评价已经记下了，欢迎您下次再来。"
    qtbot.waitUntil(lambda: kiosk.navigator.at_home, timeout=5_000)  # thanked, then home

    def rated():
        return requests.get(f"{province.url}/v1/_sim/ratings", timeout=5).json()["ratings"]

    qtbot.waitUntil(lambda: rated() != [], timeout=15_000)  # the kiosk's own relay, woken by the rating
    assert rated() == [{"request_id": request.id, "rating": "unsatisfied", "reasons": ["hard_to_use"]}]

    store.volunteers.add("李明", "135790")
    _click(qtbot, kiosk.window.staff_button)
    for key in "135790":
        _click(qtbot, kiosk.staff.pin.keys[key])
    _click(qtbot, kiosk.staff.pin.ok)
    qtbot.waitUntil(lambda: kiosk.navigator.current == MENU, timeout=5_000)
    _click(qtbot, kiosk.staff.menu.queue_button)
    assert kiosk.navigator.current == QUEUE
    qtbot.waitUntil(lambda: "好差评：满意 0，基本满意 0，不满意 1" in kiosk.staff.queue.message.text(), timeout=5_000)


def test_skipping_or_walking_away_rates_nothing(kiosk, qtbot, store):
    _apply_for_a_subsidy(kiosk, qtbot)
    _click(qtbot, kiosk.window.back_button)  # 返回 from a receipt is a way home too
    assert kiosk.navigator.current == RATING
    _click(qtbot, kiosk.rating.screen.skip_button)
    assert kiosk.navigator.at_home
    qtbot.wait(100)
    assert [i.service for i in store.outbox.items()] == ["subsidy"]

    _apply_for_a_subsidy(kiosk, qtbot)
    kiosk.navigator.home()  # the time-out: straight home, no faces left for the next villager
    assert kiosk.navigator.at_home
    _click(qtbot, kiosk.window.screens["home"].service_buttons["guides"])
    _click(qtbot, kiosk.window.home_button)
    assert kiosk.navigator.at_home
    assert RATING_SERVICE not in [i.service for i in store.outbox.items()]


def test_back_from_the_faces_shows_her_receipt_again_and_the_faces_wait_for_her_way_home(kiosk, qtbot):
    _apply_for_a_subsidy(kiosk, qtbot)
    number = kiosk.services.receipt.number.text()
    _click(qtbot, kiosk.window.back_button)  # 返回 on the receipt: the faces, on her way home
    assert kiosk.navigator.current == RATING
    _click(qtbot, kiosk.window.back_button)  # she wanted to copy the number down first
    assert kiosk.navigator.current == RECEIPT and kiosk.services.receipt.number.text() == number
    _click(qtbot, kiosk.window.home_button)
    assert kiosk.navigator.current == RATING  # still asked, once she is done
    _click(qtbot, kiosk.rating.screen.skip_button)
    assert kiosk.navigator.at_home
