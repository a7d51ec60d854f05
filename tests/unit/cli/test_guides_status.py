"""``kiosk guides status`` and ``kiosk guides manifest``: what a technician sees of the county's guide sets."""

import json

import pytest

from kiosk.cli import main
from kiosk.paths import offline_cache_dir
from kiosk.services.guide_sets import MediaFile
from kiosk.services.reference import ReferenceFiles
from kiosk.sim.provincial import SAMPLE_GUIDE_SET
from tests.helpers.guide_sets import deliver, manifest_of, sample_set

NOTE = "省平台连不上，稍后从断点接着下载"


def _status(capsys) -> dict:
    assert main(["guides", "status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_status_json_shows_the_set_in_use_and_the_one_downloading(kiosk_data_dir, capsys):
    assert _status(capsys) == {"in_use": None, "downloading": None}
    sets = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir()).guide_sets
    manifest = manifest_of(SAMPLE_GUIDE_SET)
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    first, second, *rest = manifest["media"]
    deliver(sets, first)
    deliver(sets, second, upto=second["size"] // 2)
    sets.failed(MediaFile(second["file"], second["sha256"], second["size"]), NOTE, retry_at=0)

    total = sum(m["size"] for m in manifest["media"])
    done = first["size"] + second["size"] // 2
    assert _status(capsys) == {
        "in_use": None,
        "downloading": {
            "name": manifest["name"], "version": manifest["version"], "guides": 2,
            "files_done": 1, "files_total": len(manifest["media"]), "bytes_done": done, "bytes_total": total,
            "percent": int(100 * done / total), "last_error": NOTE,
        },
    }  # fmt: skip
    assert main(["guides", "status"]) == 0
    text = capsys.readouterr().out
    assert "在用：终端自带的指南" in text and f"文件 1/{len(manifest['media'])}" in text and NOTE in text

    for entry in [second, *rest]:
        deliver(sets, entry)
    assert sets.swap() is not None
    report = _status(capsys)
    assert report["downloading"] is None
    assert report["in_use"]["name"] == manifest["name"] and report["in_use"]["guides"] == 2
    assert isinstance(report["in_use"]["swapped_at"], float)
    assert main(["guides", "status"]) == 0
    assert f"在用：{manifest['name']} {manifest['version']}，2 个指南" in capsys.readouterr().out


def test_wrong_input_is_one_line_and_a_non_zero_exit(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit:
        main(["guides", "status", "--all"])
    assert exit.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["guides", "manifest", str(tmp_path), "--name", "县", "--version", "1"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "guides.json" in err


def test_manifest_lists_every_file_with_its_checksum(tmp_path, capsys):
    county = sample_set(tmp_path / "county")
    (county / "guide_manifest.json").unlink()
    assert main(["guides", "manifest", str(county), "--name", "样例县", "--version", "7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == len(manifest_of(SAMPLE_GUIDE_SET)["media"])
    assert manifest_of(county)["media"] == manifest_of(SAMPLE_GUIDE_SET)["media"]
    (county / "guides" / "county_phone_fraud" / "video.mp4").unlink()
    assert main(["guides", "manifest", str(county), "--name", "样例县", "--version", "8"]) == 2
    assert "video.mp4" in capsys.readouterr().err
