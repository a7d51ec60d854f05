"""A whole villager session, then a search of every log line and audit row for who they were."""

import logging

import pytest

from kiosk.identity.card_simulator import DEMO_CARD
from kiosk.logs import JsonLines, configure, redact
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from kiosk.ui.screens.receipt import RECEIPT
from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _check_in_and_start, _click, _key_in, kiosk  # noqa: F401

PHONE = "13912345678"


@pytest.fixture
def kiosk_logs(kiosk_data_dir):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    path = configure(kiosk_data_dir, level=logging.DEBUG)
    yield path.parent
    for handler in root.handlers:
        handler.close()
    root.handlers[:], root.level = saved


def test_session_through_sync_leaves_no_name_id_number_or_phone_in_logs_or_audit(
    kiosk_logs,
    kiosk,  # noqa: F811
    qtbot,
    store,
    province,
):
    _check_in_and_start(kiosk, qtbot, "subsidy")
    form = kiosk.services.form
    _click(qtbot, _button(form, "耕地地力保护补贴"))
    _click(qtbot, kiosk.window.help_button)  # a call for a volunteer: kept in the store, not in the logs
    qtbot.waitUntil(lambda: len(store.calls.waiting()) == 1, timeout=5_000)
    _key_in(qtbot, form, "8")
    _key_in(qtbot, form, PHONE)
    _click(qtbot, _button(form, "对，提交"))
    qtbot.waitUntil(lambda: kiosk.navigator.current == RECEIPT, timeout=10_000)
    _click(qtbot, kiosk.window.home_button)
    _click(qtbot, kiosk.rating.screen.face_buttons["satisfied"])  # and a 好差评
    qtbot.waitUntil(lambda: store.ratings.counts() == {"satisfied": 1}, timeout=5_000)
    province.stop()  # an unreachable province is logged too
    config = province.config()
    Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings).run_once()
    province.start()
    store.outbox.make_all_due()  # as the relay does when the province answers again
    Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings).run_once()
    assert {item.state for item in store.outbox.items()} == {"accepted"}
    logging.getLogger("kiosk.test").info("session done")
    for handler in logging.getLogger().handlers:
        handler.flush()

    written = "".join(p.read_text(encoding="utf-8") for p in kiosk_logs.iterdir())
    assert "session done" in written and "/v1/submissions/batch" in written  # the files did get the session
    audit = repr(store.database.query("SELECT * FROM audit"))
    for secret in (DEMO_CARD["name"], DEMO_CARD["id_number"], PHONE, DEMO_CARD["id_number"][6:14]):
        assert secret not in written, secret
        assert secret not in audit, secret
    assert "第 2 步" not in written and "satisfied" not in written  # the call and the rating: nowhere in the logs


def test_digits_shaped_like_an_id_number_or_phone_are_masked_before_writing():
    record = logging.LogRecord(
        "kiosk", logging.WARNING, __file__, 1, "card %s phone %s", ("11010519491231002X", PHONE), None
    )
    line = JsonLines().format(record)
    assert "11010519491231002X" not in line and PHONE not in line
    assert "1101**********002X" in line and "139****5678" in line
    assert redact("receipt 20261123 and 1234567890123") == "receipt 20261123 and 1234567890123"
