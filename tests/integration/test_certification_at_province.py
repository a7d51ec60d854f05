"""Pension certifications through the relay into the reference province: evidence read, checks recorded."""

import json
import random
from importlib.resources import files

import jsonschema
import pytest
import requests

from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.evidence import DELETE, live_evidence

APPLICANT = {"name": "张秀英", "id_number": "410102195001012343"}
VOLUNTEER = {
    "method": "volunteer",
    "passed": True,
    "volunteer": "王芳",
    "checks": {"volunteer": True},
    "attempts": [live_evidence(**{"passed": False, "failure": "flash_not_followed", "flash.score": 0.21})],
}
SINGLE_ACTION = {"passed": True, "challenge": "turn_left", "tries": 1}  # the one-challenge shape, dropped


def _contract_says_ok(evidence) -> bool:
    contract = json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/PensionCertPayload", "components": contract["components"]}
    try:
        jsonschema.validate({"liveness": evidence} if evidence is not None else {}, schema)
    except jsonschema.ValidationError:
        return False
    return True


def _send(store, province, evidence):
    payload = {"applicant": APPLICANT} | ({} if evidence is None else {"liveness": evidence})
    queued = store.outbox.enqueue("pension_cert", payload)
    config = province.config()
    Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(1)).run_once()
    return store.outbox.get(queued.id)


def _recorded(province, item_id):
    listed = requests.get(province.url + "/v1/_sim/certifications", timeout=5).json()["certifications"]
    return next(c for c in listed if c["id"] == item_id)


@pytest.mark.parametrize(
    ("evidence", "method", "checks", "certified"),
    [
        (live_evidence(), "live", {"actions": True, "flash": True}, True),
        # The kiosk says passed, but its own numbers do not: the province goes by the numbers.
        (live_evidence(**{"flash.score": 0.4}), "live", {"actions": True, "flash": False}, False),
        (live_evidence(**{"flash.strength": 0.002}), "live", {"actions": True, "flash": False}, False),
        (
            live_evidence(**{"flash.min_score": 0.1, "flash.score": 0.3}),
            "live",
            {"actions": True, "flash": False},
            False,
        ),
        (live_evidence(**{"actions.seen_at_s": [1.9, 3.1]}), "live", {"actions": False, "flash": True}, False),
        (live_evidence(**{"actions.seen_at_s": [1.9, 13.1, 14.0]}), "live", {"actions": False, "flash": True}, False),
        (
            live_evidence(**{"actions.asked": ["blink"], "actions.seen_at_s": [1.5], "actions.time_limits_s": [5.0]}),
            "live",
            {"actions": False, "flash": True},
            False,
        ),
        (VOLUNTEER, "volunteer", {"volunteer": True}, True),
    ],
)
def test_the_province_records_which_checks_passed(store, province, evidence, method, checks, certified):
    assert _contract_says_ok(evidence)
    item = _send(store, province, evidence)
    assert item.state == "accepted"
    assert _recorded(province, item.id) == {"id": item.id, "method": method, "checks": checks, "certified": certified}
    lines = province.province.result(item.id)["result"]["lines"]
    assert lines[0].startswith("养老资格认证已通过" if certified else "认证没有通过")
    assert ("由服务站志愿者现场确认" in lines) == (method == "volunteer")


@pytest.mark.parametrize(
    ("evidence", "words"),
    [
        (None, "缺少活体检测记录"),
        (live_evidence(**{"actions": DELETE}), "缺少动作记录"),
        (live_evidence(**{"actions.asked": ["blink", "wave"]}), "动作记录不对"),
        (live_evidence(**{"actions.asked": ["blink", "blink"]}), "动作记录不对"),
        (live_evidence(**{"actions.seen_at_s": [3.1, 1.9, 4.4]}), "动作时间不对"),  # JSON Schema cannot say
        (live_evidence(**{"actions.time_limits_s": [6.0]}), "动作时限不对"),  # either of these two
        (live_evidence(**{"flash.colours": ["red", "#ee9b92", "#3ec1cf", "#c6ae70"]}), "闪色记录不对"),
        (live_evidence(**{"flash.score": "high"}), "闪色得分不对"),
        (live_evidence(**{"checks": {"actions": True}}), "缺少各项检查"),
        (VOLUNTEER | {"volunteer": " "}, "没有写明是谁"),
        (VOLUNTEER | {"attempts": [{"method": "live"}]}, "活体检测结果缺少"),
        ({"method": "fingerprint", "passed": True}, "方式不认识"),
        (SINGLE_ACTION, "方式不认识"),
    ],
)
def test_evidence_of_the_wrong_shape_is_set_aside_in_plain_words(store, province, evidence, words):
    if words not in ("动作时间不对", "动作时限不对"):
        assert not _contract_says_ok(evidence)  # the province and the contract agree
    item = _send(store, province, evidence)
    assert item.state == "rejected" and words in item.last_error
    assert not [c for c in province.province.certifications() if c["id"] == item.id]
