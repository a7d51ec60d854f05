"""A subsidy application by clicks, from home through check-in to the receipt and the province."""

import pytest
from PySide6.QtCore import QSize, Qt

from kiosk.app.backend import Backend
from kiosk.identity.card_simulator import DEMO_CARD
from kiosk.store.database import StorageFull
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from kiosk.ui.screens.form import FORM, MORE
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import build_shell, render
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture


@pytest.fixture
def kiosk(qapp, store, devices, monkeypatch):  # noqa: F811
    from kiosk.ui import checkin_flow

    monkeypatch.setattr(checkin_flow, "SIMULATED_CARD_DELAY_MS", 100)
    shell = build_shell(qapp, dpi=102, devices=devices, backend=Backend.over(store))
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _button(screen, text):
    """The button on the screen, turning 还有别的 as she would (对，提交 waits behind a long read-back)."""
    for _ in range(8):
        shown = {b.text(): b for b in screen.buttons}
        if text in shown or MORE not in shown:
            break
        shown[MORE].click()
    return next(b for b in screen.buttons if b.text() == text)


def _key_in(qtbot, screen, digits):
    for key in digits:
        _click(qtbot, _button(screen, key))
    _click(qtbot, _button(screen, "确定"))


def fill_in_fruit_listing(kiosk, qtbot, seller=None):
    """A farm-product listing from its first question to the read-back: fruit, a photo, 30 斤 at 3.5 元;
    ``seller``: the name a volunteer types (the form asks it only when the seller has not checked in)."""
    form = kiosk.services.form
    _click(qtbot, _button(form, "水果"))
    qtbot.waitUntil(lambda: form.preview is not None and form.preview._image is not None, timeout=10_000)
    _click(qtbot, _button(form, "拍照"))
    qtbot.waitUntil(lambda: "用这张" in [b.text() for b in form.buttons], timeout=10_000)
    _click(qtbot, _button(form, "用这张"))
    assert form.form.step.number == 3
    _click(qtbot, _button(form, "斤"))
    _key_in(qtbot, form, "30")
    _key_in(qtbot, form, "3点5")
    _click(qtbot, _button(form, "村委会"))  # the station's common answer
    assert (form.form.step.field.id == "seller_name") == (seller is not None)
    if seller is not None:
        form.line.setText(seller)  # as from the volunteer's physical keyboard
        _click(qtbot, _button(form, "确定"))
    _key_in(qtbot, form, "13912345678")


def _check_in_and_start(kiosk, qtbot, service_id):
    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons[service_id])
    _click(qtbot, window.screens[f"service.{service_id}"].checkin_button)
    _click(qtbot, kiosk.checkin.choice.card_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == "checkin.done", timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    _click(qtbot, window.screens[f"service.{service_id}"].start_button)
    assert kiosk.navigator.current == FORM


def test_subsidy_from_home_to_receipt_to_accepted_at_the_province(kiosk, qtbot, store, province):
    _check_in_and_start(kiosk, qtbot, "subsidy")
    form = kiosk.services.form
    assert kiosk.window.step.text() == "第 1 步 / 共 4 步"
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _key_in(qtbot, form, "12点5")
    assert kiosk.window.step.text() == "第 3 步 / 共 4 步"
    _key_in(qtbot, form, "1380013800")  # one digit short: it stays in the box, the reason beside it
    assert "11 位手机号码" in form.error.text() and form.display.text() == "138 0013 800"
    _key_in(qtbot, form, "0")
    assert [b.text() for b in form.answer_buttons.values()] == [
        "补贴种类：耕地地力保护补贴",  # a 21.5-inch panel has room for each label
        "面积：12.5亩",
        "联系电话：138 0013 8000",  # her own number, in full while she is checked in
    ]
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    receipt = kiosk.services.receipt.number.text()
    item = store.outbox.items()[0]
    assert item.receipt == receipt and item.state == "queued"
    assert [i.id for i in store.outbox.for_subject(DEMO_CARD["id_number"])] == [item.id]
    config = province.config()
    Relay(store.outbox, ProvincialClient(config), config.sync).run_once()
    row = province.province.conn.execute("SELECT service, payload FROM submissions WHERE id = ?", (item.id,)).fetchone()
    applicant = '"applicant": {"name": "张秀英", "id_number": "410102195001012343"}'
    assert row == (
        "subsidy",
        '{"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000", ' + applicant + "}",
    )
    _click(qtbot, kiosk.window.back_button)  # no way back into a form already sent: the 好差评, then home
    assert kiosk.navigator.current == "rating"
    _click(qtbot, kiosk.window.back_button)  # back from the faces: her receipt again, never the form
    assert kiosk.navigator.current == RECEIPT
    _click(qtbot, kiosk.window.back_button)
    _click(qtbot, kiosk.rating.screen.skip_button)
    assert kiosk.navigator.at_home
    assert kiosk.session.person is None and kiosk.services.receipt.number.text() == ""


def test_a_full_disk_shows_a_plain_message_and_no_receipt(kiosk, qtbot, store, monkeypatch):
    def full(*args, **kwargs):
        raise StorageFull("存储空间满了，这次没能保存，请叫志愿者处理。")

    monkeypatch.setattr(store.outbox, "enqueue", full)
    _check_in_and_start(kiosk, qtbot, "subsidy")
    form = kiosk.services.form
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _key_in(qtbot, form, "5")
    _key_in(qtbot, form, "13800138000")
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)
    assert form.error.text().startswith("存储空间满了")
    assert kiosk.navigator.current == FORM and kiosk.services.receipt.number.text() == ""


def test_farm_listing_takes_a_shrunk_photo_and_sends_it_in_the_photo_lane(kiosk, qtbot, store, province, devices):  # noqa: F811
    import cv2
    import numpy as np

    window = kiosk.window
    _click(qtbot, window.screens["home"].service_buttons["farm_listing"])
    intro = window.screens["service.farm_listing"]
    _click(qtbot, intro.start_button)  # nobody has said who sells: the seller checks in first
    assert kiosk.navigator.current == "checkin"
    _click(qtbot, window.back_button)
    assert "卖家请把身份证放在读卡器上" in intro.next_step.text()
    devices.simulated_reader.place_card()  # the seller's card, on the service's first screen
    qtbot.waitUntil(lambda: kiosk.navigator.current == "checkin.done", timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    fill_in_fruit_listing(kiosk, qtbot)  # her name is not asked: it is on her card
    _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    note = kiosk.services.receipt.note.text()
    assert "上架以后，有人要买会打卖家留的电话。结果回来后，您下次来登记身份就能看到。" in note
    [item] = store.outbox.items()
    payload = store.outbox.get(item.id, with_payload=True).payload
    assert payload["seller_name"] == "张秀英" and payload["applicant"]["id_number"] == DEMO_CARD["id_number"]
    pending = store.outbox.pending_attachments(5)
    assert len(pending) == 1
    photo = cv2.imdecode(np.frombuffer(store.outbox.attachment_bytes(pending[0]), np.uint8), cv2.IMREAD_COLOR)
    assert max(photo.shape[:2]) <= 1024
    config = province.config()
    report = Relay(store.outbox, ProvincialClient(config), config.sync).run_once()
    assert (report.accepted, report.attachments) == (1, 1)
