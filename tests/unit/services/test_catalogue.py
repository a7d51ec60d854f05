import json

import pytest

from kiosk.errors import InvalidInput
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import CatalogueError, load_catalogue
from tests.helpers.offline_cache import edit_json


def _edit(cache, change):
    edit_json(cache / "catalogue.json", change)


def test_shipped_catalogue_has_the_five_default_services_with_reference_choices():
    catalogue = load_catalogue(offline_cache_dir())
    assert [s.label for s in catalogue.services] == ["社保查询", "补贴申领", "养老认证", "卖农产品", "办事指南"]
    subsidy = catalogue.service("subsidy")
    types = subsidy.fields[0].choices
    assert "耕地地力保护补贴" in [c.label for c in types]
    assert catalogue.service("farm_listing").volunteer_assisted


def test_unknown_service_names_the_known_ones():
    with pytest.raises(InvalidInput, match="subsidy"):
        load_catalogue(offline_cache_dir()).service("lottery")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["services"].append(dict(d["services"][0], id="sixth")), "1 到 5 项"),
        (lambda d: d["services"][1].update(id="social_security"), "重复"),
        (lambda d: d["services"][0].update(label="社会保险待遇查询"), "2 到 4 个字"),
        (lambda d: d["services"][0]["fields"][0].update(type="slider"), "类型未知"),
        (lambda d: d["services"][0].pop("prompt"), "缺少 prompt"),
        (lambda d: d["services"][0]["fields"][0].update(choices=[]), "没有可选项"),
        (lambda d: d["services"][1]["fields"][0].update(choices_from="../../../outside"), "choices_from 只能是"),
        (lambda d: d["services"][1]["fields"][0].update(choices_from="catalogue"), "choices_from 只能是"),
        (lambda d: d["services"][0].update(icon="../../../../tmp/outside"), "不是终端自带的"),
    ],
)
def test_malformed_catalogue_is_refused_with_a_message_naming_the_problem(cache, change, message):
    _edit(cache, change)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(cache)


def test_unreadable_catalogue_file(cache):
    (cache / "catalogue.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="读不出来"):
        load_catalogue(cache)
    (cache / "catalogue.json").unlink()
    with pytest.raises(CatalogueError, match="不存在"):
        load_catalogue(cache)


def test_a_list_outside_the_reference_folders_is_never_read(cache, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"items": [{"id": "x", "label": "外面的文件"}]}), encoding="utf-8")
    relative = "../" * len(cache.parts) + str(outside.with_suffix("")).lstrip("/")
    _edit(cache, lambda d: d["services"][1]["fields"][0].update(choices_from=relative))
    with pytest.raises(CatalogueError, match="choices_from"):
        load_catalogue(cache)


def test_a_reference_list_with_control_or_bidi_characters_is_refused(tmp_path):
    from kiosk.services.reference import ReferenceFiles

    references = ReferenceFiles(tmp_path / "reference", offline_cache_dir())
    products = json.loads((offline_cache_dir() / "products.json").read_text(encoding="utf-8"))
    products["items"][0]["label"] = "\u202e果水鲜新\x1b[2J"
    with pytest.raises(CatalogueError, match="控制字符"):
        references.accept("products", '"1"', json.dumps(products, ensure_ascii=False).encode())
    assert references.etag("products") is None
