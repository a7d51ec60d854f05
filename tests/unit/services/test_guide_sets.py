"""The county's guide sets on disk: what a manifest must hold, and a swap that is all or nothing."""

import json

import pytest

from kiosk.services.catalogue import CatalogueError
from kiosk.services.guide_sets import GuideSets, read_manifest
from kiosk.sim.provincial import SAMPLE_GUIDE_SET
from tests.helpers.guide_sets import deliver, manifest_of, push_sample


def _body(change) -> bytes:
    manifest = manifest_of(SAMPLE_GUIDE_SET)
    change(manifest)
    return json.dumps(manifest, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda m: m["media"].pop(), "没有列在 media 里"),
        (lambda m: m["media"].append(m["media"][0] | {"file": "county_phone_fraud/9.png"}), "没有哪个指南用到"),
        (lambda m: m["media"].append(m["media"][0]), "重复的文件名"),
        (lambda m: m["media"][0].update(file="../x/1.png"), "媒体文件名不对"),
        (lambda m: m["media"][0].update(sha256="ABC"), "sha256"),
        (lambda m: m["media"][0].update(size=0), "大小"),
        (lambda m: m["guides"][0].update(label="医"), "名称"),
        (lambda m: m["guides"][1]["video"].update(subtitles=[]), "字幕"),
        (lambda m: m.pop("version"), "缺少 version"),
    ],
)
def test_a_manifest_the_kiosk_could_not_show_is_refused_in_plain_words(change, said):
    with pytest.raises(CatalogueError) as refused:
        read_manifest(_body(change))
    assert said in refused.value.message


def test_a_refused_manifest_leaves_the_wanted_one(tmp_path):
    sets = GuideSets(tmp_path)
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    with pytest.raises(CatalogueError):
        sets.want(_body(lambda m: m["media"].pop()))
    assert sets.wanted().version == manifest_of(SAMPLE_GUIDE_SET)["version"]


def test_nothing_is_in_use_until_every_file_is_in(tmp_path):
    sets = GuideSets(tmp_path)
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    *most, last = manifest_of(SAMPLE_GUIDE_SET)["media"]
    for entry in most:
        deliver(sets, entry)
    deliver(sets, last, upto=last["size"] - 1)
    assert sets.swap() is None and sets.in_use() is None
    assert [m.file for m in sets.missing()] == [last["file"]]
    deliver(sets, last)
    assert sets.swap().version == manifest_of(SAMPLE_GUIDE_SET)["version"]
    assert sets.missing() == [] and sets.downloading() is None


def test_a_set_left_half_built_by_a_crash_is_never_in_use_and_is_built_again(tmp_path):
    sets = GuideSets(tmp_path)
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    for entry in manifest_of(SAMPLE_GUIDE_SET)["media"]:
        deliver(sets, entry)
    staging = tmp_path / "sets" / f".staging-{sets.wanted().id}"
    (staging / "guides").mkdir(parents=True)  # where a power cut mid-swap would leave it
    (staging / "guides.json").write_text("{", encoding="utf-8")
    assert sets.in_use() is None
    in_use = sets.swap()
    assert in_use is not None and not staging.exists()
    assert json.loads((in_use.folder / "guides.json").read_text(encoding="utf-8"))["items"][0]["id"]


def test_the_set_before_stays_on_disk_and_older_ones_go(tmp_path):
    sets = GuideSets(tmp_path)
    push_sample(sets)
    first = sets.in_use()
    for version in ("2", "3"):
        manifest = manifest_of(SAMPLE_GUIDE_SET) | {"version": version}
        sets.want(json.dumps(manifest, ensure_ascii=False).encode())
        assert sets.missing() == []  # the same files: nothing to download again
        sets.swap()
    kept = {p.name for p in (tmp_path / "sets").iterdir()}
    assert sets.in_use().version == "3" and len(kept) == 2 and first.id not in kept


def test_a_kept_file_the_disk_changed_since_is_fetched_again_not_swapped_in(tmp_path):
    sets = GuideSets(tmp_path)
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    entries = manifest_of(SAMPLE_GUIDE_SET)["media"]
    for entry in entries:
        deliver(sets, entry)
    (tmp_path / "media" / entries[0]["sha256"]).write_bytes(b"cut short")
    assert sets.swap() is None and sets.in_use() is None
    assert [m.file for m in sets.missing()] == [entries[0]["file"]]
