import io
import json
import os
import subprocess
import sys
import tarfile

import pytest

from kiosk.cli import main
from kiosk.store.crypto import verify_pin

SECRET = "county-issued-secret-7731"


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_config_check_exit_codes_and_json(tmp_path, capsys, monkeypatch):
    good = tmp_path / "good.toml"
    good.write_text(f'kiosk_id = "HN-0101"\nsecret = "{SECRET}"\n', encoding="utf-8")
    assert main(["config", "check", "--file", str(good), "--json"]) == 0
    assert _json(capsys) == {"file": str(good), "ok": True, "problems": []}
    bad = tmp_path / "bad.toml"
    bad.write_text(f'secret = "{SECRET}"\n[voice]\nrate = "fast"\n', encoding="utf-8")
    assert main(["config", "check", "--file", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "第 3 行 voice.rate" in out and "写成 rate = 120" in out and SECRET not in out
    assert main(["config", "check", "--file", str(tmp_path / "missing.toml")]) == 2


def test_config_check_judges_the_file_and_says_which_values_the_environment_overrides(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", "http://127.0.0.1:8780")
    real = tmp_path / "realurl.toml"
    real.write_text(f'kiosk_id = "HN-0101"\nsecret = "{SECRET}"\nprovincial_url = "http://example.com"\n', "utf-8")
    assert main(["config", "check", "--file", str(real)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("错误  第 3 行 provincial_url: 必须用 https") for line in out), out
    assert any("第 3 行 provincial_url: 环境变量 KIOSK_PROVINCIAL_URL 盖过了文件里的值" in line for line in out), out
    assert out[-1].endswith("1 个错误，1 个提醒")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('kiosk_id = "HN-0101"\nstation_name = "石桥村\n', "第 2 行 (文件): 格式不对：这一行的引号没有配对"),
        ('kiosk_id = "HN-0101"\nkiosk_id = "HN-0102"\n', "第 2 行 (文件): 格式不对：同一项写了两次"),
        ("kiosk_id = HN-0101\n", "第 1 行 (文件): 格式不对：等号后面的值看不懂：文字要加引号"),
    ],
)
def test_a_broken_toml_file_gives_the_line_and_a_plain_reason(text, words, tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    assert main(["config", "check", "--file", str(broken)]) == 1
    out = capsys.readouterr().out
    assert words in out and "Illegal" not in out and "Invalid" not in out and "line" not in out, out


def test_doctor_json_exit_code_follows_failures(capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", "http://127.0.0.1:9")
    assert main(["doctor", "--only", "province", "--only", "disk", "--json"]) == 1
    report = _json(capsys)
    assert report["ok"] is False
    assert [c["id"] for c in report["checks"]] == ["disk", "province"]
    assert main(["doctor", "--only", "disk"]) == 0
    assert capsys.readouterr().out.startswith("[正常] 磁盘空间")
    assert main(["doctor", "--only", "webcam"]) == 2


def test_support_bundle_has_logs_doctor_queue_and_no_secret(tmp_path, capsys, monkeypatch, kiosk_data_dir):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'kiosk_id = "HN-0101"\nsecret = "{SECRET}"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(config))
    (kiosk_data_dir / "logs").mkdir(parents=True)
    (kiosk_data_dir / "logs" / "kiosk.log").write_text("2026-11-23 INFO kiosk.sync pass done\n", encoding="utf-8")
    out = tmp_path / "support.tar.gz"
    assert main(["logs", "export", "--out", str(out), "--json"]) == 0
    assert _json(capsys)["bundle"] == str(out)
    with tarfile.open(out) as bundle:
        files = {m.name: bundle.extractfile(m).read() for m in bundle.getmembers()}
    assert set(files) == {
        "kiosk-support/config.json",
        "kiosk-support/doctor.json",
        "kiosk-support/queue-stats.json",
        "kiosk-support/logs/kiosk.log",
    }
    assert all(SECRET.encode() not in data for data in files.values())
    assert json.loads(files["kiosk-support/config.json"])["secret"] == "（已设置）"
    assert json.loads(files["kiosk-support/queue-stats.json"])["queued"] == 0
    assert {c["id"] for c in json.loads(files["kiosk-support/doctor.json"])} >= {"camera", "province", "font"}
    assert out.stat().st_mode & 0o077 == 0


def test_pin_hash_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n"))
    assert main(["pin", "hash", "--pin-stdin", "--json"]) == 0
    hashed = _json(capsys)["technician_pin_hash"]
    assert verify_pin("24681357", hashed) and not verify_pin("24681358", hashed)
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["pin", "hash", "--pin-stdin"]) == 2
    assert capsys.readouterr().err == "kiosk: PIN 应是 6 到 8 位数字\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["volunteer", "add", "李", "--pin-stdin"]) == 2
    assert capsys.readouterr().err == "kiosk: PIN 应是 6 到 8 位数字\n"


@pytest.mark.parametrize("argv", [["volunteer", "add", "李"], ["pin", "hash"]])
def test_a_pin_asked_for_without_a_terminal_says_use_pin_stdin(argv, kiosk_data_dir):
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # no controlling terminal, as from cron or a provisioning script
        env=dict(os.environ, KIOSK_DATA_DIR=str(kiosk_data_dir)),
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "没有终端" in done.stderr and "--pin-stdin" in done.stderr and done.stderr.count("\n") == 1, done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["logs", "export", "--skip-doctor", "--out"],
        ["screenshot", "--screen", "home", "--size", "640x400", "--out"],
    ],
)
def test_an_out_file_in_a_missing_folder_is_refused_and_no_folder_made(argv, tmp_path, capsys):
    missing = tmp_path / "nonexistent"
    assert main([*argv, str(missing / "out.file")]) == 2
    assert (
        capsys.readouterr().err
        == f"kiosk: --out {missing / 'out.file'}：没有 {missing} 这个文件夹；先建好它，或换一个 --out\n"
    )
    assert not missing.exists()


def test_output_into_a_pipe_nobody_reads_any_more_ends_quietly(kiosk_data_dir):
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `kiosk config template | head -1` once head has its line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "config", "template"], stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == b""
