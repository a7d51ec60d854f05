import json
import os
import socket
import subprocess
import sys

from kiosk.app.doctor import FAILURE, OK, WARNING, Context, passed, run_checks
from kiosk.config import Config, DeviceConfig, VoiceConfig
from kiosk.identity.card_simulator import CardReaderSimulator
from kiosk.store.store import open_store
from kiosk.sync.relay import relay_for
from kiosk.sync.throughput import LINK_KEY, LinkMeter


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _by_id(results):
    return {check.id: check for check in results}


def test_broken_camera_missing_voice_model_and_unreachable_province_are_told_apart(kiosk_data_dir, tmp_path):
    config = Config(
        provincial_url=f"http://127.0.0.1:{_closed_port()}",
        devices=DeviceConfig(camera=str(tmp_path / "no-such-camera.mp4")),
        voice=VoiceConfig(model_path=tmp_path / "no-model"),
    )
    results = _by_id(run_checks(Context(config, kiosk_data_dir), {"camera", "voice_model", "province", "database"}))
    assert results["camera"].status == FAILURE and "摄像头" in results["camera"].detail
    assert results["voice_model"].status == WARNING and "语音识别模型" in results["voice_model"].detail
    assert "install-model" in results["voice_model"].fix
    assert results["province"].status == FAILURE and "连不上省平台" in results["province"].detail
    assert results["database"].status == OK
    assert len({r.fix for r in results.values() if r.fix}) == 3
    assert not passed(list(results.values()))


def test_reachable_province_that_refuses_our_signature(province, kiosk_data_dir):
    good = _by_id(run_checks(Context(province.config(), kiosk_data_dir), {"province", "font", "clock"}))
    assert {r.status for r in good.values()} == {OK}
    wrong = Config(provincial_url=province.url, secret="not-the-one-the-county-issued")
    refused = _by_id(run_checks(Context(wrong, kiosk_data_dir), {"province"}))["province"]
    assert refused.status == FAILURE and "签名" in refused.detail and "secret" in refused.fix


def test_card_reader_that_answers_and_one_that_is_unplugged(kiosk_data_dir):
    simulator = CardReaderSimulator(present=True)
    simulator.plug()
    try:
        config = Config(devices=DeviceConfig(card_reader=simulator.path))
        answering = run_checks(Context(config, kiosk_data_dir), {"card_reader"})[0]
        assert answering.status == OK and "有卡" in answering.detail
        simulator.unplug()
        gone = run_checks(Context(config, kiosk_data_dir), {"card_reader"})[0]
        assert gone.status == FAILURE and "读卡器" in gone.detail and "USB" in gone.fix
    finally:
        simulator.unplug()


def test_a_check_that_crashes_is_its_own_failure(kiosk_data_dir, monkeypatch):
    import kiosk.app.doctor as doctor

    def broken(context):
        raise RuntimeError("driver exploded")

    monkeypatch.setattr(doctor, "CHECKS", (("disk", "磁盘空间", broken), *doctor.CHECKS[-1:]))
    results = run_checks(Context(Config(), kiosk_data_dir))
    assert results[0].status == FAILURE and "driver exploded" in results[0].detail
    assert results[1].status == OK


def _doctor_with_sound_config(tmp_path, asoundrc: str, microphone: str) -> dict:
    """The doctor in its own process (PortAudio reads the sound configuration once), with ALSA's
    per-user configuration holding the machine's sound devices."""
    home = tmp_path / "home"
    home.mkdir(parents=True)
    (home / ".asoundrc").write_text(asoundrc, encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    env.update(HOME=str(home), KIOSK_DATA_DIR=str(tmp_path / "data"), KIOSK_MICROPHONE=microphone)
    command = [sys.executable, "-m", "kiosk", "doctor", "--only", "microphone", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr == ""
    return json.loads(done.stdout)["checks"][0]


def test_configured_microphone_is_looked_for_among_the_machines_sound_devices(tmp_path):
    # ALSA's null device records silence forever: a microphone that is there, on any machine.
    silent = "pcm.desk_mic {\n    type null\n}\n"
    found = _doctor_with_sound_config(tmp_path / "one", silent, "desk_mic")
    assert found["status"] == OK and "desk_mic" in found["detail"]
    missing = _doctor_with_sound_config(tmp_path / "two", silent, "headset")
    assert missing["status"] == FAILURE and "找不到配置的麦克风「headset」" in missing["detail"]
    assert "desk_mic" in missing["detail"]


def test_voice_pack_coverage_and_taught_commands_per_screen(kiosk_data_dir, store):
    from kiosk.voice.pack import VoicePack
    from kiosk.voice.planner import station_registry

    pack_dir = kiosk_data_dir / "voice-pack"
    context = Context(Config(voice=VoiceConfig(pack_path=pack_dir)), kiosk_data_dir)
    results = _by_id(run_checks(context, {"voice_pack", "voice_commands"}))
    assert results["voice_pack"].status == OK and "机器朗读" in results["voice_pack"].detail
    assert "还没有教过" in results["voice_commands"].detail

    registry = station_registry()
    pack = VoicePack(pack_dir, dialect="客家话")
    for key in ("service.guides.label", "block.digit.1"):
        pack.record(registry.get(key), b"RIFF-not-checked-here", "张桂英")
    for intent in ("back", "social_security", "yes"):
        store.voices.teach(intent, "张桂英", [b"\0" * 104] * 3, 26, consent=True)
    results = _by_id(run_checks(context, {"voice_pack", "voice_commands"}))
    assert f"已录 2/{len(registry)} 句" in results["voice_pack"].detail and "客家话" in results["voice_pack"].detail
    assert results["voice_pack"].status == WARNING  # the two "recordings" are not sound files
    taught = results["voice_commands"].detail
    assert "首页 2/9 个命令（6 遍）" in taught and "各页 1/4 个命令（3 遍）" in taught
    assert "核对页 2/6 个命令（6 遍）" in taught


def test_doctor_reports_the_upload_throughput_the_last_pass_measured(province, emulated_link, kiosk_data_dir):
    def uplink():
        return _by_id(run_checks(Context(province.config(), kiosk_data_dir), {"uplink"}))["uplink"]

    assert uplink().status == OK and "还没有传过照片" in uplink().detail
    link = emulated_link(province, up_rate=64 * 1024)
    store = open_store(kiosk_data_dir)
    store.outbox.enqueue("farm_listing", {}, attachments={"photo": os.urandom(96 * 1024)})
    relay = relay_for(store, Config(provincial_url=link.url))
    assert relay.run_once().attachments == 1
    measured = store.settings.get(LINK_KEY)["last_pass"]
    store.close()
    reported = uplink()
    rate = measured["bytes"] / measured["seconds"] / 1024
    assert reported.status == OK and f"每秒 {rate:.1f} KB" in reported.detail and "96 KB" in reported.detail
    assert 20 < rate <= 64  # what the link allowed, less its round trips


def test_doctor_warns_when_the_last_pass_crawled(kiosk_data_dir):
    meter = LinkMeter()
    meter.record_pass(60_000, 30.0)  # 2 KB/s
    store = open_store(kiosk_data_dir)
    store.settings.put(LINK_KEY, meter.saved())
    store.close()
    slow = _by_id(run_checks(Context(Config(), kiosk_data_dir), {"uplink"}))["uplink"]
    assert slow.status == WARNING and "每秒 2.0 KB" in slow.detail and "信号" in slow.fix
