"""The queue commands as a technician types them, against the real store and province."""

import json
import re
import signal
import subprocess
import sys
import threading

import cv2
import numpy as np
import pytest

from kiosk.cli import main
from tests.helpers.backlog import PENSION_QUERY

ID_NUMBER = "11010519491231002X"
GOOD = '{"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}'
ELDERLY_WITH_AREA = '{"subsidy_type": "elderly_allowance", "area_mu": 3, "phone": "13800138000"}'
MACHINERY_WITHOUT_MACHINE = '{"subsidy_type": "farm_machinery", "phone": "13800138000"}'
TOO_BIG = '{"subsidy_type": "farmland_protection", "area_mu": 900, "phone": "13800138000"}'


@pytest.fixture
def province_env(province, monkeypatch):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", province.url)
    monkeypatch.setenv("KIOSK_SYNC_TIMEOUT", "3")
    return province


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_services_lists_fields_with_types_and_choices(capsys):
    assert main(["services", "--json"]) == 0
    services = {s["id"]: s for s in _json(capsys)}
    area = next(f for f in services["subsidy"]["fields"] if f["id"] == "area_mu")
    assert area == {"id": "area_mu", "type": "number", "label": "面积", "required": True, "choices": [],
                    "when": {"subsidy_type": ["farmland_protection", "grain_producer"]}}  # fmt: skip
    phone = next(f for f in services["subsidy"]["fields"] if f["id"] == "phone")
    assert phone["when"] == {}  # asked whatever she chose
    assert main(["services"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("subsidy"))
    assert "machine（仅当 subsidy_type 为 farm_machinery）" in line and ", phone" in line
    assert "jin" in next(f for f in services["farm_listing"]["fields"] if f["id"] == "unit")["choices"]


def test_submit_sync_and_queue_commands_end_to_end(province_env, capsys):
    assert main(["submit", "--service", "subsidy", "--payload-json", GOOD, "--subject", ID_NUMBER, "--json"]) == 0
    good = _json(capsys)
    assert main(["submit", "--service", "subsidy", "--payload-json", TOO_BIG, "--subject", ID_NUMBER, "--json"]) == 0
    bad = _json(capsys)
    assert main(["queue", "stats", "--json"]) == 0
    assert _json(capsys)["queued"] == 2
    assert main(["sync", "--once", "--json"]) == 0
    assert _json(capsys) | {} == {
        "sent": 2,
        "accepted": 1,
        "duplicates": 0,
        "rejected": 1,
        "retried": 0,
        "attachments": 0,
        "guide_files": 0,
        "answers": 0,
        "reachable": True,
    }
    assert main(["queue", "show", good["id"], "--json"]) == 0
    shown = _json(capsys)
    assert shown["receipt"] == good["receipt"] and shown["state"] == "accepted"
    assert main(["queue", "list", "--state", "rejected", "--json"]) == 0
    assert [row["id"] for row in _json(capsys)] == [bad["id"]]
    assert main(["queue", "discard", bad["id"]]) == 0
    capsys.readouterr()
    assert main(["queue", "stats", "--json"]) == 0
    assert _json(capsys)["rejected"] == 0
    assert main(["audit", "verify", "--json"]) == 0
    assert _json(capsys)["broken_at"] is None


def test_sync_once_with_the_province_down_says_so_and_exits_zero(monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("KIOSK_SYNC_TIMEOUT", "1")
    assert (
        main(
            [
                *PENSION_QUERY,
            ]
        )
        == 0
    )
    assert main(["sync", "--once"]) == 0
    assert "省平台连不上" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (
            ["submit", "--service", "subsidy", "--payload-json", '{"area_mu": 3}', "--subject", ID_NUMBER],
            2,
            "subsidy_type",
        ),
        (["submit", "--service", "subsidy", "--payload-json", "{oops", "--subject", ID_NUMBER], 2, "不是有效的 JSON"),
        (
            ["submit", "--service", "subsidy", "--payload-json", ELDERLY_WITH_AREA, "--subject", ID_NUMBER],
            2,
            "area_mu（面积）：只在补贴种类是",
        ),
        (
            ["submit", "--service", "subsidy", "--payload-json", MACHINERY_WITHOUT_MACHINE, "--subject", ID_NUMBER],
            2,
            "machine（农机）：必须填写",
        ),
        (["submit", "--service", "guides", "--payload-json", "{}"], 2, "可提交的服务：social_security、subsidy"),
        (["submit", "--service", "social_security", "--payload-json", '{"topic": "pension"}'], 2, "--subject IDNO"),
        (
            ["submit", "--service", "social_security", "--payload-json", '{"topic": "pension"}', "--subject", "123"],
            2,
            "--subject：身份证号应是 18 位",
        ),
        (
            [
                "submit",
                "--service",
                "social_security",
                "--payload-json",
                '{"topic": "pension"}',
                "--subject",
                "110105194912310021",
            ],
            2,
            "--subject：身份证号的最后一位对不上",
        ),
        (["submit", "--service", "lottery", "--payload-json", "{}"], 2, "没有这项服务"),
        (
            ["submit", "--service", "farm_listing", "--payload-json", "{}", "--photo", "photo=/nonexistent.jpg"],
            2,
            "读不出文件",
        ),
        (
            ["submit", "--service", "farm_listing", "--payload-json", "{}", "--photo", "nofield"],
            2,
            "--photo nofield：应写成 FIELD=FILE",
        ),
        (
            ["submit", "--service", "farm_listing", "--payload-json", "{}", "--photo", f"photo={__file__}"],
            2,
            "不是能打开的照片（要 JPEG 或 PNG）",
        ),
        (["queue", "show"], 2, "需要一件的编号"),
        (["queue", "retry", "00000000-0000-0000-0000-000000000000"], 2, "没有这一件"),
    ],
)
def test_wrong_input_is_one_plain_line_and_nothing_is_queued(argv, code, words, capsys):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert main(["queue", "stats", "--json"]) == 0
    assert _json(capsys)["queued"] == 0


def test_bad_configuration_is_reported_not_crashed(monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_PROVINCIAL_URL", "http://province.example.gov.cn")
    assert main(["sync", "--once"]) == 1
    assert "必须用 https" in capsys.readouterr().err


def test_queue_stats_tells_how_far_the_current_photo_has_got(store, capsys):
    photos = [bytes([n]) * 50_000 for n in range(3)]
    for photo in photos:
        store.outbox.enqueue("farm_listing", {}, attachments={"photo": photo})
    first, second, _ = (a.hash for a in store.outbox.pending_attachments(3))
    store.outbox.attachment_uploaded(first)
    store.outbox.attachment_progress(second, 20_000)  # what the relay records as the province acknowledges
    assert main(["queue", "stats"]) == 0
    assert "待传照片 2" in (text := capsys.readouterr().out) and text.rstrip().endswith("照片 2/3，已传 40%")
    assert main(["queue", "stats", "--json"]) == 0
    stats = _json(capsys)
    assert (stats["photo_current"], stats["photo_total"], stats["photo_percent"]) == (2, 3, 40)


def test_a_query_submitted_for_a_villager_gets_its_answer(province_env, capsys):
    topic = '{"topic": "pension"}'
    assert main(["submit", "--service", "social_security", "--payload-json", topic, "--subject", ID_NUMBER]) == 0
    capsys.readouterr()
    assert main(["sync", "--once", "--json"]) == 0
    first = _json(capsys)
    assert main(["sync", "--once", "--json"]) == 0
    assert first["accepted"] == 1 and first["answers"] + _json(capsys)["answers"] == 1


def _continuous_sync(*flags: str) -> tuple[str, str, int]:
    """The first line ``kiosk sync`` prints, what it prints after it until SIGTERM, and its exit code."""
    sync = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    guard = threading.Timer(60, sync.terminate)  # a relay that never prints must not hang the suite
    guard.start()
    try:
        first = sync.stdout.readline()
    finally:
        guard.cancel()
        sync.send_signal(signal.SIGTERM)
        rest, _ = sync.communicate(timeout=30)
    return first, rest, sync.returncode


def test_continuous_sync_prints_a_line_for_each_pass_that_moved_something(province_env, capsys):
    assert main(["submit", "--service", "subsidy", "--payload-json", GOOD, "--subject", ID_NUMBER]) == 0
    first, rest, code = _continuous_sync()
    assert re.fullmatch(r"\d\d:\d\d:\d\d 发送 1，受理 1(，指南文件 \d+)?\n", first), first
    # the passes after it fetched at most the county's guide files, and said nothing else
    assert code == 0 and re.fullmatch(r"(\d\d:\d\d:\d\d 指南文件 \d+\n)*", rest), rest
    assert main(["submit", "--service", "subsidy", "--payload-json", TOO_BIG, "--subject", ID_NUMBER]) == 0
    first, _, _ = _continuous_sync("--json")
    assert json.loads(first) | {"guide_files": 0} == {
        "sent": 1,
        "accepted": 0,
        "duplicates": 0,
        "rejected": 1,
        "retried": 0,
        "attachments": 0,
        "guide_files": 0,
        "answers": 0,
        "reachable": True,
    }


def _jpeg(width: int, height: int) -> bytes:
    noise = np.random.default_rng(7).integers(0, 256, (height, width, 3), dtype=np.uint8)  # keeps a JPEG large
    return cv2.imencode(".jpg", noise, [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes()


LISTING = (
    '{"product": "fruit", "quantity": 3, "unit": "jin", "price": 2.5, "pickup": "村口", "seller_name": "李四",'
    ' "phone": "13800138000"}'
)


def test_what_submit_keeps_on_disk_only_the_kiosk_user_can_read(kiosk_data_dir, tmp_path):
    photo = tmp_path / "apple.jpg"
    photo.write_bytes(_jpeg(640, 480))
    assert main(["submit", "--service", "farm_listing", "--payload-json", LISTING, "--photo", f"photo={photo}"]) == 0
    kept = [path for path in kiosk_data_dir.rglob("*") if path.is_file()]
    assert any(path.parent.name == "attachments" for path in kept) and any(path.name == "kiosk.db" for path in kept)
    assert {path.name: oct(path.stat().st_mode & 0o777) for path in kept} == {path.name: "0o600" for path in kept}


def test_a_photo_given_to_submit_is_kept_downscaled_as_the_camera_keeps_it(store, tmp_path):
    photo = tmp_path / "big.jpg"
    photo.write_bytes(_jpeg(3000, 2000))
    assert main(["submit", "--service", "farm_listing", "--payload-json", LISTING, "--photo", f"photo={photo}"]) == 0
    (kept,) = store.outbox.pending_attachments(1)
    frame = cv2.imdecode(np.frombuffer(store.outbox.attachment_bytes(kept), np.uint8), cv2.IMREAD_COLOR)
    assert frame.shape[:2] == (683, 1024) and kept.size < photo.stat().st_size / 4
