"""`kiosk guides build`: guides made from the real screens, and the shipped ones kept in step with them."""

import json

import av
import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.cli import main
from kiosk.guides.build import guide_id, pictures
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.services.guides import load_guides
from kiosk.ui.examples import render_state
from kiosk.ui.guide_tour import DPI, SIZE
from kiosk.ui.shell import build_shell
from tests.helpers.pictures import matching, tile_differences

# Stops of the subsidy walk that `kiosk screenshot` can render on its own (the others are in between).
SUBSIDY_SCREENS = {
    0: "home",
    1: "service.subsidy",  # her card is read right here
    2: "checkin.done.example",
    3: "form.choice",
    4: "form.keypad",
    7: "receipt.example",
}
DRIFT_TOLERANCE = 24  # of 255, a tile's mean: font hinting stays below; one changed character is near 70


def _frames(path, times):
    """The decoded video frame showing at each of ``times`` (seconds), as QImages."""
    found = {}
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            for t in times:
                if t not in found and frame.time >= t:
                    rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
                    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.shape[1] * 3, QImage.Format.Format_RGB888)
                    found[t] = image.copy()
    return [found[t] for t in times]


def _audio(path):
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
        return stream.codec_context.sample_rate, samples, float(container.duration / av.time_base)


def test_building_the_subsidy_guide_shows_the_real_screens_and_narrates_them(qapp, tmp_path, capsys):
    assert main(["guides", "build", "--service", "subsidy", "--out", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (guide,) = load_guides(tmp_path)
    assert report["guides"][0]["id"] == guide.id == "subsidy_here" and guide.service == "subsidy"
    assert guide.label == "怎么在这里领补贴" and len(guide.steps) == 8
    assert guide.steps[0].text == "在首页点「补贴申领」。"

    fresh = build_shell(qapp, dpi=DPI)
    screenshots = {k: render_state(fresh, name, SIZE).toImage() for k, name in SUBSIDY_SCREENS.items()}
    fresh.window.close()
    for k in SUBSIDY_SCREENS:
        picture = QImage(str(guide.steps[k].picture))
        assert picture.size() == QSize(1280, 720)
        scores = {j: matching(picture, shot) for j, shot in screenshots.items()}
        best = max(scores, key=scores.get)
        assert best == k and scores[k] >= 0.9, (k, scores)  # the real screen, only the ring and hand added
        runner_up = max(v for j, v in scores.items() if j != k)
        assert scores[k] > runner_up + 0.02, (k, scores)

    cues = guide.video.cues
    assert [c.text for c in cues] == [s.text for s in guide.steps]
    rate, samples, duration = _audio(guide.video.path)
    assert duration == pytest.approx(cues[-1].end_s, abs=0.3)
    assert len(samples) / rate == pytest.approx(cues[-1].end_s, abs=0.3)
    for cue in cues:  # each sentence is said while its picture shows
        said = samples[int(cue.start_s * rate) : int(cue.end_s * rate)]
        assert np.sqrt(np.mean(said.astype(float) ** 2)) > 0.01, cue.text
    middles = [(c.start_s + c.end_s) / 2 for c in cues]
    for frame, step in zip(_frames(guide.video.path, middles), guide.steps, strict=True):
        assert matching(frame, QImage(str(step.picture))) >= 0.97, step.text


def _drifted(shell, service, shipped):
    made = pictures(shell, service)
    problems = []
    if [p.text for p in made] != [s.text for s in shipped.steps]:
        problems.append("the sentences changed")
    for n, (picture, step) in enumerate(zip(made, shipped.steps, strict=False), start=1):
        worst = float(tile_differences(picture.image, QImage(str(step.picture))).max())
        if worst > DRIFT_TOLERANCE:
            problems.append(f"step {n} ({step.text}) looks different")
    return problems


def test_the_shipped_guides_still_show_the_screens_as_they_are(qapp):
    """When this fails a screen changed: run `kiosk guides build` and commit offline_cache/guides*."""
    catalogue = load_catalogue(offline_cache_dir())
    shipped = {g.service: g for g in load_guides(offline_cache_dir()) if g.service}
    shell = build_shell(qapp, dpi=DPI, catalogue=catalogue)
    problems = {}
    for service in catalogue.services:
        if service.fields:
            assert shipped[service.id].id == guide_id(service)
            found = _drifted(shell, service, shipped[service.id])
            if found:
                problems[service.id] = found
    shell.window.close()
    assert problems == {}, "a screen changed and its shipped guide did not: run `kiosk guides build`"


def test_a_changed_screen_is_caught(qapp, monkeypatch):
    catalogue = load_catalogue(offline_cache_dir())
    subsidy = catalogue.service("subsidy")
    shipped = next(g for g in load_guides(offline_cache_dir()) if g.service == "subsidy")
    monkeypatch.setattr(
        "kiosk.ui.screens.service_intro.CHECKIN_HINT", "下一步：请把身份证放在读卡机上，或者看着摄像头。"
    )
    shell = build_shell(qapp, dpi=DPI, catalogue=catalogue)
    assert _drifted(shell, subsidy, shipped) == [f"step 2 ({shipped.steps[1].text}) looks different"]
    shell.window.close()


@pytest.mark.parametrize(("service", "message"), [("lottery", "没有这项服务：lottery"), ("guides", "不用生成指南")])
def test_a_service_that_cannot_be_built_gets_one_line_and_exit_2(tmp_path, capsys, service, message):
    assert main(["guides", "build", "--service", service, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "guides.json").exists()


def test_a_walk_longer_than_a_guide_may_be_is_refused_and_the_old_guide_stays(tmp_path, capsys, monkeypatch):
    # The real walk through 社保查询's screens, against a limit one short of it (the kiosk refuses such a guide).
    assert main(["guides", "build", "--service", "social_security", "--out", str(tmp_path), "--no-video"]) == 0
    before = sorted(p.name for p in (tmp_path / "guides" / "social_security_here").iterdir())
    capsys.readouterr()
    monkeypatch.setattr("kiosk.guides.build.MAX_STEPS", len(before) - 1)
    assert main(["guides", "build", "--service", "social_security", "--out", str(tmp_path), "--no-video"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiosk: ") and f"走了 {len(before)} 步，最多 {len(before) - 1} 步" in err
    assert sorted(p.name for p in (tmp_path / "guides" / "social_security_here").iterdir()) == before
