import json
import shutil

import pytest
from PySide6.QtGui import QImage

from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import CatalogueError
from kiosk.services.guides import MAX_STEPS, Cue, Guide, Step, Video, load_guides, merge_guides
from tests.helpers.offline_cache import edit_json


def _edit(cache, change):
    edit_json(cache / "guides.json", lambda data: change(data["items"]))


def test_shipped_guides_are_step_guides_with_their_pictures_and_the_generated_ones_have_videos():
    guides = load_guides(offline_cache_dir())
    by_id = {g.id: g for g in guides}
    assert by_id["subsidy_here"].label == "怎么在这里领补贴"
    assert by_id["farmland_subsidy"].label == "种粮补贴怎么领"
    for guide in guides:
        for step in guide.steps:
            picture = QImage(str(step.picture))
            assert (picture.width(), picture.height()) == (1280, 720), step.picture
    generated = [g for g in guides if g.service]
    assert {g.service for g in generated} == {"social_security", "subsidy", "pension_cert", "farm_listing"}
    for guide in generated:
        assert guide.video is not None and guide.video.path.stat().st_size > 0
        assert [c.text for c in guide.video.cues] == [s.text for s in guide.steps]


def test_a_version_1_paragraph_becomes_one_step_a_sentence(cache):
    (cache / "guides.json").write_text(
        json.dumps({"version": 1, "items": [{"id": "x", "label": "怎么办", "text": "先这样。再那样！好了吗？"}]}),
        encoding="utf-8",
    )
    (guide,) = load_guides(cache)
    assert [s.text for s in guide.steps] == ["先这样。", "再那样！", "好了吗？"]
    assert all(s.picture is None for s in guide.steps) and guide.video is None


def test_media_are_found_in_the_provinces_copy_first_then_the_shipped_cache(tmp_path, cache):
    fetched = tmp_path / "reference"
    (fetched / "guides" / "lost_card").mkdir(parents=True)
    shutil.copy(cache / "guides.json", fetched / "guides.json")
    shutil.copy(cache / "guides" / "lost_card" / "2.png", fetched / "guides" / "lost_card" / "1.png")
    lost = next(g for g in load_guides(fetched, cache) if g.id == "lost_card")
    assert lost.steps[0].picture == fetched / "guides" / "lost_card" / "1.png"
    assert lost.steps[1].picture == cache / "guides" / "lost_card" / "2.png"


def test_missing_media_show_a_placeholder_and_a_missing_video_is_not_offered(cache):
    (cache / "guides" / "subsidy_here" / "video.mp4").unlink()
    (cache / "guides" / "lost_card" / "1.png").unlink()
    guides = {g.id: g for g in load_guides(cache)}
    assert guides["subsidy_here"].video is None
    assert guides["lost_card"].steps[0].picture is None and guides["lost_card"].steps[1].picture is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda items: items[0]["steps"][0].update(picture="../../../etc/passwd.png"), "媒体文件名不对"),
        (lambda items: items[0]["steps"][0].update(picture="/etc/shadow.png"), "媒体文件名不对"),
        (lambda items: items[0]["steps"][0].update(picture="subsidy_here/1.exe"), "媒体文件名不对"),
        (lambda items: items[0]["steps"][0].update(text="说" * 41), "1 到 40 个字"),
        (lambda items: items[0].update(steps=items[0]["steps"][:1] * (MAX_STEPS + 1)), f"1 到 {MAX_STEPS} 步"),
        (lambda items: items[0].update(label="这个名称实在是太长了一点"), "2 到 10 个字"),
        (lambda items: items[0]["video"].update(subtitles=[]), "没有字幕"),
        (lambda items: items[0]["video"]["subtitles"].reverse(), "字幕时间不对"),
        (lambda items: items[0]["video"]["subtitles"][1].update(start=-1), "字幕时间不对"),
        (lambda items: items[1].update(id=items[0]["id"]), "编号重复"),
        (lambda items: items[1].update(id="../up"), "指南编号只能用"),
        (lambda items: items[0].pop("label"), "缺少 label"),
        (lambda items: items.extend(items * 3), "1 到 20 项"),
    ],
)
def test_malformed_guides_are_refused_with_a_message_naming_the_problem(cache, change, message):
    _edit(cache, change)
    with pytest.raises(CatalogueError, match=message):
        load_guides(cache)


def test_the_subtitle_shown_follows_the_time():
    video = Video(offline_cache_dir(), (Cue(0.0, 2.0, "一"), Cue(2.0, 5.0, "二"), Cue(6.0, 8.0, "三")))
    assert [video.cue_at(t) for t in (0.0, 1.9, 2.0, 5.5, 7.0, 99.0)] == ["一", "一", "二", "二", "三", "三"]


def test_merging_replaces_a_guide_where_it_stood_and_keeps_the_others_as_written(cache):
    before = json.loads((cache / "guides.json").read_text(encoding="utf-8"))["items"]
    picture = cache / "guides" / "lost_card" / "1.png"
    merge_guides(cache, [Guide("medical_insurance", "新的医保指南", (Step("只有一步。", picture),)),
                         Guide("brand_new", "新指南", (Step("一步。", picture),))])  # fmt: skip
    after = json.loads((cache / "guides.json").read_text(encoding="utf-8"))["items"]
    assert [i["id"] for i in after] == [i["id"] for i in before] + ["brand_new"]
    replaced = next(i for i in after if i["id"] == "medical_insurance")
    assert replaced["steps"] == [{"picture": "lost_card/1.png", "text": "只有一步。"}]
    assert [i for i in after if i["id"] not in ("medical_insurance", "brand_new")] == [
        i for i in before if i["id"] != "medical_insurance"
    ]
    assert load_guides(cache)[-1].label == "新指南"


def test_a_provinces_guides_naming_a_file_outside_the_media_folder_are_refused_and_the_last_good_ones_stay(tmp_path):
    from kiosk.services.reference import ReferenceFiles

    references = ReferenceFiles(tmp_path / "reference", offline_cache_dir())
    good = json.loads((offline_cache_dir() / "guides.json").read_text(encoding="utf-8"))
    references.accept("guides", '"v1"', json.dumps(good).encode())
    good["items"][0]["steps"][0]["picture"] = "../../kiosk.key.png"
    with pytest.raises(CatalogueError, match="媒体文件名不对"):
        references.accept("guides", '"v2"', json.dumps(good).encode())
    assert references.etag("guides") == '"v1"' and references.guides()[0].steps[0].picture.name == "1.png"
