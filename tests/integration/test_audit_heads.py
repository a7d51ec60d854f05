"""The audit chain's head travels with every heartbeat; the province notices a rewritten chain."""

import hashlib
import hmac
import time

import requests

from kiosk.cli import main as kiosk_main
from kiosk.sim.provincial import fleet_page
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay


def _relay(store, province):
    config = province.config()
    return Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings,
                 audit_trail=store.audit)  # fmt: skip


def _rechain_with(conn, key):
    prev = "0" * 64
    for seq, at, event, details in conn.execute("SELECT seq, at, event, details FROM audit ORDER BY seq").fetchall():
        digest = hmac.new(key, f"{prev}|{at!r}|{event}|{details}".encode(), hashlib.sha256).hexdigest()
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def _audited(store, n):
    for i in range(n):
        store.record("staff_signed_in", operator=f"v{i}", role="volunteer")


def test_heads_seen_by_the_province_expose_a_chain_rewritten_even_with_the_key(store, province):
    relay = _relay(store, province)
    _audited(store, 5)
    relay._heartbeat()
    first = province.province.fleet()[0]
    assert first["report"]["audit_head"] == store.audit.head() and first["audit_alarm"] is None
    _audited(store, 2)
    relay._heartbeat()
    assert province.province.fleet()[0]["audit_alarm"] is None  # an honest chain only grows

    conn = store.database.conn  # a stolen disk, key and all: row 3 goes, the chain is rebuilt
    conn.execute("DELETE FROM audit WHERE seq = 3")
    _rechain_with(conn, store.vault.audit_key)
    assert store.audit.verify()[1] is None  # the kiosk alone cannot tell
    _audited(store, 1)
    relay._heartbeat()
    alarm = province.province.fleet()[0]["audit_alarm"]
    assert alarm and "改写" in alarm
    assert alarm in fleet_page(province.province.fleet(), time.time())


def test_kiosk_audit_verify_exits_1_on_a_chain_rewritten_without_the_key(store, capsys):
    _audited(store, 3)
    assert kiosk_main(["audit", "verify"]) == 0
    conn = store.database.conn
    conn.execute("DELETE FROM audit WHERE seq = 2")
    _rechain_with(conn, b"not the kiosk's key")
    assert kiosk_main(["audit", "verify"]) == 1
    assert "审计" in capsys.readouterr().err


def test_heartbeats_that_are_not_objects_are_refused_and_the_fleet_page_stays_up(store, province):
    from kiosk.config import DEMO_KIOSK_ID, DEMO_SECRET
    from kiosk.sync import signing

    for body in (b"[]", b'"x"', b'{"devices": []}', b"null"):
        headers = signing.headers(DEMO_KIOSK_ID, DEMO_SECRET, "POST", "/v1/heartbeat", int(time.time()), body)
        reply = requests.post(province.url + "/v1/heartbeat", data=body, headers=headers, timeout=5)
        assert reply.status_code == 400, body
    assert requests.get(province.url + "/fleet", timeout=5).status_code == 200
