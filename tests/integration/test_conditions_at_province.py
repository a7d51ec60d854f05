"""The reference province checks the catalogue's conditions itself, over real HTTP on loopback: a request
an old or careless kiosk sends with a question that did not apply, or without one that did, is set aside
with a plain reason; one that follows the rules is accepted."""

import json
import shutil

from kiosk.config import DEMO_KIOSK_ID, DEMO_SECRET
from kiosk.paths import offline_cache_dir
from kiosk.sim.provincial import Province
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.offline_cache import edit_json
from tests.helpers.province import RunningProvince

PHONE = "13800138000"


def _sent(store, province):
    config = province.config()
    Relay(store.outbox, ProvincialClient(config), config.sync).run_once()


def test_the_province_refuses_an_area_for_the_elderly_allowance_and_machinery_without_its_machine(store, province):
    # Straight into the queue, as a kiosk with an older catalogue would have queued them.
    area_for_elderly = store.outbox.enqueue(
        "subsidy", {"subsidy_type": "elderly_allowance", "area_mu": 3, "phone": PHONE}
    )
    no_machine = store.outbox.enqueue("subsidy", {"subsidy_type": "farm_machinery", "phone": PHONE})
    good = store.outbox.enqueue("subsidy", {"subsidy_type": "farm_machinery", "machine": "tractor", "phone": PHONE})
    elderly = store.outbox.enqueue("subsidy", {"subsidy_type": "elderly_allowance", "phone": PHONE})
    _sent(store, province)
    refused = store.outbox.get(area_for_elderly.id)
    assert (
        refused.state == "rejected"
        and "「面积」只在补贴种类是耕地地力保护补贴、稻谷生产者补贴时填写" in refused.last_error
    )
    missing = store.outbox.get(no_machine.id)
    assert missing.state == "rejected" and "缺少「农机」" in missing.last_error
    assert [store.outbox.get(q.id).state for q in (good, elderly)] == ["accepted", "accepted"]
    rows = dict(province.province.conn.execute("SELECT id, payload FROM submissions").fetchall())
    assert set(rows) == {good.id, elderly.id} and "area_mu" not in rows[elderly.id]


def test_the_province_checks_the_conditions_of_the_catalogue_it_pushes(store, tmp_path):
    pushed = tmp_path / "pushed"
    shutil.copytree(offline_cache_dir(), pushed)

    def area_for_everyone(data):
        subsidy = next(s for s in data["services"] if s["id"] == "subsidy")
        next(f for f in subsidy["fields"] if f["id"] == "area_mu").pop("when")

    edit_json(pushed / "catalogue.json", area_for_everyone)
    province = Province(tmp_path / "p.db", {DEMO_KIOSK_ID: DEMO_SECRET}, 0.0, 0, 1, reference_dir=pushed)
    running = RunningProvince(province, 0, tmp_path / "p.db").start()
    try:
        queued = store.outbox.enqueue("subsidy", {"subsidy_type": "elderly_allowance", "area_mu": 3, "phone": PHONE})
        _sent(store, running)
        assert store.outbox.get(queued.id).state == "accepted"
        payload = province.conn.execute("SELECT payload FROM submissions").fetchone()[0]
        assert json.loads(payload)["area_mu"] == 3
    finally:
        running.stop()
