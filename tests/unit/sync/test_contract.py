import json
from importlib.resources import files

from openapi_spec_validator import validate

from kiosk.sync import client


def _contract():
    return json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))


def test_contract_is_a_valid_openapi_document():
    validate(_contract())


def test_reply_statuses_the_client_accepts_are_the_contracts():
    item_result = _contract()["components"]["schemas"]["ItemResult"]
    assert set(item_result["properties"]["status"]["enum"]) == set(client.ItemStatus)


def test_every_contract_path_is_served_by_the_reference_province(province):
    import requests

    paths = {
        "/v1/health": 200,
        "/v1/attachments/" + "a" * 64: 401,
        "/v1/reference/products": 401,
        "/v1/results/00000000-0000-0000-0000-000000000000": 401,
    }
    assert set(_contract()["paths"]) >= {"/v1/health", "/v1/submissions/batch", "/v1/heartbeat"}
    for path, status in paths.items():
        assert requests.get(province.url + path, timeout=5).status_code == status, path
    assert requests.get(province.url + "/v1/nowhere", timeout=5).status_code == 401
