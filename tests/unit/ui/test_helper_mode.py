"""Helper mode by clicks: PIN, the operator banner, the queue dashboard, listing on a villager's behalf."""

import json

import pytest
from PySide6.QtCore import QSize

from kiosk.app.staff import StaffDesk
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.screens.staff import MENU, PIN, QUEUE
from kiosk.ui.shell import build_shell, render
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _click, _key_in, fill_in_fruit_listing


@pytest.fixture
def kiosk(qapp, running, store, devices):  # noqa: F811
    store.volunteers.add("李明", "135790")
    shell = build_shell(qapp, running.config, dpi=102, devices=devices, backend=running.backend, status=running.relay)
    render(shell, "home", QSize(1920, 1080))
    yield shell
    shell.shutdown()
    shell.window.close()


def _pin(kiosk, qtbot, pin):
    for key in pin:
        _click(qtbot, kiosk.staff.pin.keys[key])
    _click(qtbot, kiosk.staff.pin.ok)


def test_wrong_pin_is_refused_in_plain_words(kiosk, qtbot, store):
    _click(qtbot, kiosk.window.staff_button)
    assert kiosk.navigator.current == PIN
    _pin(kiosk, qtbot, "111111")
    qtbot.waitUntil(lambda: "PIN 不对" in kiosk.staff.pin.message.text(), timeout=5_000)
    assert kiosk.navigator.current == PIN and kiosk.staff.operator is None
    assert ("staff_sign_in_refused",) in store.database.query("SELECT event FROM audit")


def test_a_double_tap_on_call_volunteer_is_one_call(kiosk, qtbot, store):
    _click(qtbot, kiosk.window.screens["home"].service_buttons["subsidy"])
    _click(qtbot, kiosk.window.help_button)
    _click(qtbot, kiosk.window.help_button)
    _click(qtbot, kiosk.window.home_button)
    _click(qtbot, kiosk.window.staff_button)
    _pin(kiosk, qtbot, "135790")  # signed in on the same worker, after both calls
    qtbot.waitUntil(lambda: kiosk.staff.menu.message.text().startswith("有人叫志愿者："), timeout=5_000)
    assert len(store.calls.waiting()) == 1


def test_volunteer_fixes_the_queue_and_lists_for_a_villager_under_a_banner(
    kiosk, qtbot, store, province, running, kiosk_data_dir
):
    too_big = store.outbox.enqueue("subsidy", {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "1"})
    qtbot.waitUntil(lambda: store.outbox.get(too_big.id).state == "rejected", timeout=10_000)
    kiosk.window.call_volunteer()  # a villager asked for help a moment ago
    _click(qtbot, kiosk.window.staff_button)
    _pin(kiosk, qtbot, "135790")
    qtbot.waitUntil(lambda: kiosk.navigator.current == MENU, timeout=5_000)
    assert kiosk.window.operator_banner.text() == "志愿者李明"
    qtbot.waitUntil(lambda: kiosk.staff.menu.message.text().startswith("有人叫志愿者："), timeout=5_000)
    assert not kiosk.staff.menu.doctor_button.isVisible()  # the self-check is the technician's

    _click(qtbot, kiosk.staff.menu.queue_button)
    queue = kiosk.staff.queue
    qtbot.waitUntil(lambda: queue.message.text().endswith("被退回 1"), timeout=5_000)
    assert queue.item.text() == f"{too_big.receipt} 补贴申领：省平台说不符合申领条件（面积超过 500 亩，请到乡镇办理）"
    _click(qtbot, queue.discard_button)
    qtbot.waitUntil(lambda: queue.message.text().endswith("被退回 0"), timeout=5_000)
    assert kiosk.navigator.current == QUEUE and queue.item.text() == "没有被退回的申请。"
    assert not queue.discard_button.isVisible()

    _click(qtbot, kiosk.window.back_button)
    _click(qtbot, kiosk.staff.menu.listing_button)
    assert kiosk.navigator.current == FORM
    fill_in_fruit_listing(kiosk, qtbot, seller="李大山")  # the seller has no card with him: the volunteer types
    assert kiosk.window.operator_banner.isVisible()
    _click(qtbot, _button(kiosk.services.form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    assert kiosk.services.receipt.note.text().endswith("上架以后，有人要买会打卖家留的电话。")
    [assisted] = store.database.query("SELECT details FROM audit WHERE event = 'assisted'")
    details = json.loads(assisted[0])
    assert details["operator"] == "李明" and "13912345678" not in assisted[0]

    qtbot.waitUntil(lambda: store.answers.count("farm_listing") == 1, timeout=15_000)  # published, it says
    desk = StaffDesk(running.backend, running.config, kiosk_data_dir)
    assert desk.queue_overview(5)[0]["published"] == 1
    _click(qtbot, kiosk.window.home_button)  # the villager is offered the 好差评 on the way
    assert kiosk.navigator.current == "rating" and kiosk.staff.operator is not None
    _click(qtbot, kiosk.rating.screen.skip_button)  # helper mode ends at home
    assert kiosk.staff.operator is None and not kiosk.window.operator_banner.isVisible()
    events = [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]
    assert events.index("staff_signed_in") < events.index("assisted")
    qtbot.waitUntil(lambda: ("staff_signed_out",) in store.database.query("SELECT event FROM audit"), timeout=5_000)


def test_volunteer_fixes_a_request_the_province_sent_back_and_resends_it(kiosk, qtbot, store, province):
    applicant = {"name": "张秀英", "id_number": "410102195001012343"}
    payload = {"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "13800138000", "applicant": applicant}
    too_big = store.outbox.enqueue("subsidy", payload, subject=applicant["id_number"])
    qtbot.waitUntil(lambda: store.outbox.get(too_big.id).state == "rejected", timeout=10_000)
    _click(qtbot, kiosk.window.staff_button)
    _pin(kiosk, qtbot, "135790")
    qtbot.waitUntil(lambda: kiosk.navigator.current == MENU, timeout=5_000)
    _click(qtbot, kiosk.staff.menu.queue_button)
    queue = kiosk.staff.queue
    qtbot.waitUntil(lambda: queue.message.text().endswith("被退回 1"), timeout=5_000)
    _click(qtbot, queue.fix_button)
    qtbot.waitUntil(lambda: kiosk.navigator.current == FORM, timeout=5_000)
    form = kiosk.services.form
    assert kiosk.window.step.text() == "第 4 步 / 共 4 步"  # the read-back of what was sent
    assert kiosk.window.operator_banner.text() == "李明代张*英"
    _click(qtbot, form.answer_buttons["area_mu"])  # the answer to correct, on the read-back
    assert form.display.text() == "900 亩"
    _click(qtbot, _button(form, "删"))
    _key_in(qtbot, form, "")
    assert form.form.step.field is None  # straight back to the read-back
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    qtbot.waitUntil(lambda: store.outbox.stats()["rejected"] == 0, timeout=5_000)
    [fixed] = store.outbox.for_subject(applicant["id_number"])
    assert fixed.id != too_big.id
    qtbot.waitUntil(lambda: store.outbox.get(fixed.id).state == "accepted", timeout=10_000)
    sent = province.province.conn.execute("SELECT payload FROM submissions WHERE id = ?", (fixed.id,)).fetchone()[0]
    assert '"area_mu": 90' in sent and '"id_number": "410102195001012343"' in sent


def test_a_call_shows_where_and_at_which_step_survives_a_restart_and_is_dismissed(
    qapp,
    qtbot,
    store,
    kiosk_data_dir,
    devices,  # noqa: F811
):
    from kiosk.app.backend import Backend
    from kiosk.store.store import open_store
    from tests.unit.ui.test_service_flow import _check_in_and_start

    store.volunteers.add("李明", "135790")

    def start_kiosk():
        backend = Backend(lambda: open_store(kiosk_data_dir))
        backend.start()
        shell = build_shell(qapp, dpi=102, devices=devices, backend=backend)
        render(shell, "home", QSize(1920, 1080))
        return shell, backend

    def stop_kiosk(shell, backend):
        shell.shutdown()
        shell.window.close()
        backend.close()

    shell, backend = start_kiosk()
    _check_in_and_start(shell, qtbot, "subsidy")
    _click(qtbot, _button(shell.services.form, "耕地地力保护补贴"))
    _click(qtbot, shell.window.help_button)  # stuck at the area: she calls for help
    qtbot.waitUntil(lambda: len(store.calls.waiting()) == 1, timeout=5_000)
    [call] = store.calls.waiting()
    assert (call.place, call.step) == ("补贴申领", "第 2 步 / 共 4 步")  # where, never who
    stop_kiosk(shell, backend)

    shell, backend = start_kiosk()  # the kiosk restarted before anyone came
    _click(qtbot, shell.window.staff_button)
    _pin(shell, qtbot, "135790")
    menu = shell.staff.menu
    qtbot.waitUntil(lambda: "补贴申领，第 2 步 / 共 4 步" in menu.message.text(), timeout=5_000)
    assert menu.message.text().startswith("有人叫志愿者：") and menu.seen_button.isVisible()
    _click(qtbot, menu.seen_button)
    qtbot.waitUntil(lambda: not menu.seen_button.isVisible(), timeout=5_000)
    assert store.calls.waiting() == [] and "叫志愿者" not in menu.message.text()
    stop_kiosk(shell, backend)


def _signed_in(kiosk, qtbot):
    _click(qtbot, kiosk.window.staff_button)
    _pin(kiosk, qtbot, "135790")
    qtbot.waitUntil(lambda: kiosk.navigator.current == MENU, timeout=5_000)


def test_the_queue_screen_reads_the_queue_again_while_it_shows(kiosk, qtbot, store, province, monkeypatch):
    from kiosk.ui import staff_flow

    monkeypatch.setattr(staff_flow, "WATCH_EVERY_MS", 100)
    _signed_in(kiosk, qtbot)
    _click(qtbot, kiosk.staff.menu.queue_button)
    queue = kiosk.staff.queue
    qtbot.waitUntil(lambda: queue.message.text().startswith("待发 0，已受理 0"), timeout=5_000)
    province.province.fail_rate = 1.0  # the province errs: the new request waits, and the screen says so
    store.outbox.enqueue("subsidy", {"subsidy_type": "farmland_protection", "area_mu": 9, "phone": "13800000000"})
    qtbot.waitUntil(lambda: queue.message.text().startswith("待发 1"), timeout=5_000)
    province.province.fail_rate = 0.0
    qtbot.waitUntil(lambda: queue.message.text().startswith("待发 0，已受理 1"), timeout=10_000)
    _click(qtbot, kiosk.window.back_button)
    reads = kiosk.staff._watch_timer
    qtbot.waitUntil(lambda: not reads.isActive(), timeout=5_000)  # not read while no one looks


def test_sync_now_says_it_is_syncing_then_how_it_went(kiosk, qtbot, store, province, monkeypatch):
    from kiosk.ui import staff_flow

    monkeypatch.setattr(staff_flow, "WATCH_EVERY_MS", 100)
    _signed_in(kiosk, qtbot)
    menu = kiosk.staff.menu
    _click(qtbot, menu.sync_button)
    assert menu.message.text() == "正在同步…"
    qtbot.waitUntil(lambda: menu.message.text() == "没有要发的，都发完了。", timeout=10_000)

    province.province.fail_rate = 1.0
    item = store.outbox.enqueue(
        "subsidy", {"subsidy_type": "farmland_protection", "area_mu": 9, "phone": "13800000000"}
    )
    qtbot.waitUntil(lambda: store.outbox.get(item.id).attempts > 0, timeout=10_000)
    _click(qtbot, menu.sync_button)
    assert menu.message.text() == "正在同步…"
    qtbot.waitUntil(lambda: menu.message.text() == "连不上省里，稍后会自动再试。", timeout=10_000)

    province.province.fail_rate = 0.0
    _click(qtbot, menu.sync_button)
    qtbot.waitUntil(lambda: menu.message.text() != "正在同步…", timeout=10_000)
    # the relay's own retry may have sent it a moment before the tap
    assert menu.message.text() in ("同步好了：发出 1 件，都发完了。", "没有要发的，都发完了。")
    assert store.outbox.get(item.id).state == "accepted"
    kiosk.window.call_volunteer()  # a villager's call waiting: it comes first, and the sync still says how it goes
    qtbot.waitUntil(lambda: menu.message.text().startswith("有人叫志愿者："), timeout=5_000)
    _click(qtbot, menu.sync_button)
    assert menu.message.text().startswith("有人叫志愿者：") and menu.message.text().endswith("\n正在同步…")
    qtbot.waitUntil(lambda: menu.message.text().endswith("\n没有要发的，都发完了。"), timeout=10_000)
