"""The province's reference lists by ETag: a good copy replaces the shipped one, a malformed one is refused."""

import json
import shutil

from kiosk.paths import offline_cache_dir
from kiosk.services.reference import ReferenceFiles
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay


def _relay(store, province, references):
    config = province.config()
    return Relay(store.outbox, ProvincialClient(config), config.sync, references=references)


def test_new_lists_are_taken_unchanged_ones_cost_nothing_and_bad_ones_leave_the_last_good(
    store, province, tmp_path, kiosk_data_dir
):
    served = tmp_path / "served"
    shutil.copytree(offline_cache_dir(), served)
    province.province.reference_dir = served
    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    catalogue = json.loads((served / "catalogue.json").read_text(encoding="utf-8"))
    catalogue["station"] = "石桥村便民服务站"
    (served / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    products = json.loads((served / "products.json").read_text(encoding="utf-8"))
    products["items"][0]["label"] = "新鲜水果"
    (served / "products.json").write_text(json.dumps(products, ensure_ascii=False), encoding="utf-8")

    relay = _relay(store, province, references)
    relay.refresh_references()
    assert references.catalogue().station == "石桥村便民服务站"
    listing = references.catalogue().service("farm_listing")
    assert listing.fields[0].choices[0].label == "新鲜水果"
    etag = references.etag("catalogue")
    assert etag and references.etag("guides")

    (served / "catalogue.json").write_text('{"station": "坏了", "services": [{"id": "x"}]}', encoding="utf-8")
    relay.refresh_references()
    assert references.catalogue().station == "石桥村便民服务站"  # the last good one stays in use
    assert references.etag("catalogue") == etag

    products["items"] = "not a list"
    (served / "products.json").write_text(json.dumps(products), encoding="utf-8")
    relay.refresh_references()
    assert references.catalogue().service("farm_listing").fields[0].choices[0].label == "新鲜水果"


def test_nothing_fetched_means_the_shipped_cache(kiosk_data_dir):
    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    assert references.catalogue().station == json.loads((offline_cache_dir() / "catalogue.json").read_text())["station"]
    assert references.etag("catalogue") is None
