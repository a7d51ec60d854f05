"""Voice packs through the real speech thread: recordings where the pack has them, espeak-ng for
the rest, joined into the one WAV file the kiosk plays; and a pack checked whole before install."""

import json
import shutil
import threading

import numpy as np
import pytest

from kiosk.cli import main
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.services.guides import load_guides
from kiosk.ui.lines import screen_lines
from kiosk.voice import audio
from kiosk.voice.lines import LineRef, build_registry
from kiosk.voice.pack import VoicePack, import_pack
from kiosk.voice.planner import CLIP, TTS, SpeechPlanner
from kiosk.voice.tts import Synthesizer

RATE = 16_000
REGISTRY = build_registry(load_catalogue(offline_cache_dir()), load_guides(offline_cache_dir()), screen_lines())
BLOCK_KEYS = sorted(line.key for line in REGISTRY if line.group == "blocks")


def tone(hz: float, seconds: float = 0.2, level: float = 0.3) -> bytes:
    """A recording that is a pure tone, with a little silence either side: its pitch names the block."""
    t = np.arange(int(seconds * RATE)) / RATE
    quiet = np.zeros(int(0.1 * RATE), dtype=np.float32)
    return audio.to_wav_bytes(np.concatenate([quiet, level * np.sin(2 * np.pi * hz * t), quiet]), RATE)


def block_hz(key: str) -> float:
    return 300.0 + 40.0 * BLOCK_KEYS.index(key)


def recorded_pack(folder, keys) -> VoicePack:
    pack = VoicePack(folder, dialect="测试话", speaker="测试", date="2025-01-01")
    for key in keys:
        pack.record(REGISTRY.get(key), tone(block_hz(key)) if key.startswith("block.") else tone(220, 0.8), "测试")
    return pack


def speak(pack, spoken, tmp_path):
    """Render ``spoken`` on the real speech thread; returns (segments planned, the WAV's samples and rate)."""
    plans, done = [], threading.Event()
    result = []
    synthesizer = Synthesizer(
        tmp_path / "speech",
        open_planner=lambda: SpeechPlanner(REGISTRY, pack),
        on_segments=lambda said, segments: plans.append(segments),
    )
    synthesizer.start()
    try:
        synthesizer.render(spoken, lambda path: (result.append(path), done.set()))
        assert done.wait(60)
    finally:
        synthesizer.close()
    assert result[0] is not None
    samples, rate = audio.read(result[0])
    return plans[0], samples, rate


def tones_heard(samples, rate) -> list[float]:
    """The sequence of pitches in the audio, 20 ms at a time, repeats and silence left out."""
    frame = int(0.02 * rate)
    heard = []
    for start in range(0, len(samples) - frame, frame):
        chunk = samples[start : start + frame]
        if np.sqrt(np.mean(chunk**2)) < 0.02:
            continue
        spectrum = np.abs(np.fft.rfft(chunk * np.hanning(frame), n=8 * frame))
        hz = np.argmax(spectrum) * rate / (8 * frame)
        if hz < 100:  # the fade at the very end
            continue
        if not heard or abs(heard[-1] - hz) > 15:
            heard.append(hz)
    return heard


def test_a_screen_is_spoken_from_the_recordings_not_by_text_to_speech(qapp, tmp_path):
    from kiosk.ui.shell import build_shell

    shell = build_shell(qapp)
    shell.navigator.open_service("guides")
    text = shell.window.current_screen().spoken_text()  # 办事指南。点一项，就给您读出来。
    pack = recorded_pack(tmp_path / "pack", ["service.guides.label", "service.guides.prompt"])
    segments, samples, rate = speak(pack, text, tmp_path)
    assert [(s.kind, s.key) for s in segments] == [(CLIP, "service.guides.label"), (CLIP, "service.guides.prompt")]
    # Nothing but the two recordings (silence trimmed) and the pause after each sentence: no synthesised speech.
    clip = audio.prepared(*audio.read(pack.clip(REGISTRY.get("service.guides.label"))))
    expected = 2 * len(clip) / rate + sum(s.pause_s for s in segments)
    assert abs(len(samples) / rate - expected) < 0.02
    assert tones_heard(samples, rate) == pytest.approx([220.0], abs=15)


def test_money_and_a_receipt_code_are_joined_from_blocks_in_order(tmp_path):
    pack = recorded_pack(tmp_path / "pack", BLOCK_KEYS)
    segments, samples, rate = speak(pack, "2350.5元", tmp_path)
    money = ["digit.2", "thousand", "digit.3", "hundred", "digit.5", "ten", "yuan", "digit.5", "jiao"]
    assert [s.key for s in segments] == [f"block.{k}" for k in money]
    assert tones_heard(samples, rate) == pytest.approx([block_hz(f"block.{k}") for k in money], abs=15)

    segments, samples, rate = speak(pack, "K7QM-3X19", tmp_path)
    code = ["letter.k", "digit.7", "letter.q", "letter.m", "digit.3", "letter.x", "yao", "digit.9"]
    assert [s.key for s in segments] == [f"block.{k}" for k in code]
    assert [s.pause_s > 0 for s in segments] == [False, False, False, True, False, False, False, False]
    assert tones_heard(samples, rate) == pytest.approx([block_hz(f"block.{k}") for k in code], abs=15)


def test_a_line_the_pack_lacks_falls_back_to_text_to_speech_for_that_line_only(tmp_path):
    pack = recorded_pack(tmp_path / "pack", ["service.guides.label"])
    segments, samples, rate = speak(pack, "办事指南。点一项，就给您读出来。", tmp_path)
    assert [(s.kind, s.key) for s in segments] == [(CLIP, "service.guides.label"), (TTS, "service.guides.prompt")]
    clip_s = len(audio.prepared(*audio.read(pack.clip(REGISTRY.get("service.guides.label"))))) / rate
    assert len(samples) / rate > clip_s + 1.0  # the prompt, said by espeak-ng after the recording


def test_a_number_is_never_said_in_two_voices_and_a_reworded_line_is_not_said_by_its_old_recording(tmp_path):
    pack = recorded_pack(tmp_path / "pack", [k for k in BLOCK_KEYS if k != "block.thousand"])
    planner = SpeechPlanner(REGISTRY, pack)
    assert [(s.kind, s.text) for s in planner.plan("2350元")] == [(TTS, "二千三百五十元")]
    pack.record(REGISTRY.get("service.guides.prompt"), tone(220), "测试")
    reworded = pack.recordings["service.guides.prompt"]
    pack.recordings["service.guides.prompt"] = type(reworded)(**{**reworded.__dict__, "text": "旧的说法"})
    assert [s.kind for s in planner.plan([LineRef("service.guides.prompt")])] == [TTS]
    assert pack.coverage(REGISTRY).stale == ("service.guides.prompt",)


def test_without_a_pack_the_whole_text_is_one_text_to_speech_render():
    planner = SpeechPlanner(REGISTRY, None)
    assert [(s.kind, s.text) for s in planner.plan("办事指南。回执号 K7QM-3X19")] == [
        (TTS, "办事指南。回执号 K 七 Q M，三 X 幺 九")
    ]


def test_stopping_ends_a_render_under_way(tmp_path):
    pack = recorded_pack(tmp_path / "pack", BLOCK_KEYS)
    long_text = "，".join(f"第{n}项 {n * 37}.5元" for n in range(1, 30))
    results, done = [], threading.Event()
    synthesizer = Synthesizer(tmp_path / "speech", open_planner=lambda: SpeechPlanner(REGISTRY, pack))
    synthesizer.start()
    try:
        synthesizer.render(long_text, lambda path: (results.append(path), done.set()))
        synthesizer.drop_pending()  # the villager tapped on: whatever was being made is dropped
        assert done.wait(60)
    finally:
        synthesizer.close()
    assert results == [None]


def test_a_recording_is_kept_trimmed_and_at_the_common_loudness(tmp_path):
    import pyloudnorm

    from tests.helpers.villagers import Voices

    speech = Voices(tmp_path).clean("社保查询", "sit/yue") / 32768 * 0.05  # said quietly, far from the microphone
    silence = np.zeros(RATE)
    recorded = np.concatenate([silence, speech, silence]).astype(np.float32)
    kept, rate = audio.read_bytes(audio.prepare_recording(recorded, RATE))
    assert rate == RATE
    sounding = np.flatnonzero(np.abs(speech) > 1e-4)
    spoken_s = (sounding[-1] - sounding[0]) / RATE  # espeak's own speech, without its silence either side
    assert spoken_s - 0.15 < len(kept) / RATE < spoken_s + 0.15  # the silence around it is gone
    assert pyloudnorm.Meter(RATE).integrated_loudness(kept.astype(np.float64)) == pytest.approx(-20, abs=1)


def _pack_dir(tmp_path, keys):
    pack = recorded_pack(tmp_path / "county-pack", keys)
    return pack.folder


def test_import_refuses_a_pack_whose_hashes_do_not_match_and_changes_nothing(tmp_path, kiosk_data_dir, capsys):
    good = _pack_dir(tmp_path, ["service.guides.label", "block.digit.1"])
    assert main(["voice", "pack", "import", str(good), "--json"]) == 0
    installed = json.loads(capsys.readouterr().out)
    assert installed["added"] == 2
    tampered = tmp_path / "tampered"
    shutil.copytree(good, tampered)
    with open(tampered / "clips" / "block.digit.1.wav", "r+b") as clip:
        clip.seek(200)
        clip.write(b"\x00\x7f" * 8)
    assert main(["voice", "pack", "import", str(tampered)]) == 1
    error = capsys.readouterr().err
    assert "SHA-256" in error and "block.digit.1" in error and "Traceback" not in error
    assert len(error.strip().splitlines()) == 1
    kept = VoicePack.open(kiosk_data_dir / "voice-pack")
    assert kept.problems() == [] and set(kept.recordings) == {"service.guides.label", "block.digit.1"}


def test_a_county_pack_merges_over_the_stations_own_recordings_and_exports_as_a_zip(tmp_path, kiosk_data_dir, capsys):
    station = VoicePack(kiosk_data_dir / "voice-pack", dialect="测试话")
    station.record(REGISTRY.get("service.subsidy.label"), tone(500), "本站志愿者")
    county = _pack_dir(tmp_path, ["service.guides.label", "block.digit.1"])
    done = import_pack(county, kiosk_data_dir / "voice-pack")
    assert (done.added, done.replaced, done.kept) == (2, 0, 1)
    assert main(["voice", "pack", "export", str(tmp_path / "pack.zip")]) == 0
    capsys.readouterr()
    other = tmp_path / "other-kiosk"
    other.mkdir()
    again = import_pack(tmp_path / "pack.zip", other / "voice-pack")
    assert again.added == 3 and VoicePack.open(other / "voice-pack").problems() == []
    assert main(["voice", "pack", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["recorded"] == 3 and status["total"] == len(REGISTRY) and status["dialect"] == "测试话"


def test_a_technician_records_missing_lines_from_the_command_line(tmp_path, kiosk_data_dir, capsys):
    from tests.helpers.villagers import Voices

    assert main(["voice", "pack", "status", "--json"]) == 0
    missing = json.loads(capsys.readouterr().out)["missing"]
    wanted = next(line for line in missing if line["key"] == "service.guides.label")
    assert wanted == {"key": "service.guides.label", "text": "办事指南", "group": "service.guides"}
    said = np.concatenate([np.zeros(RATE), Voices(tmp_path).clean("办事指南", "sit/yue") / 32768, np.zeros(RATE)])
    wav = tmp_path / "line.wav"
    wav.write_bytes(audio.to_wav_bytes(said.astype(np.float32), RATE))
    argv = ["voice", "pack", "record", "--key", "service.guides.label", "--wav", str(wav), "--speaker", "张桂英"]
    assert main(argv) == 2
    assert "--dialect" in capsys.readouterr().err  # a new pack says which dialect it speaks
    assert main([*argv, "--dialect", "客家话（四县腔）", "--json"]) == 0
    capsys.readouterr()
    pack = VoicePack.open(kiosk_data_dir / "voice-pack")
    kept, rate = audio.read(pack.clip(REGISTRY.get("service.guides.label")))
    assert len(kept) / rate < len(said) / RATE - 1.5  # the silence either side was trimmed
    assert pack.problems() == [] and pack.dialect == "客家话（四县腔）"


def _modes(folder) -> set[tuple[str, int]]:
    return {(p.name if p.is_file() else "folder", p.stat().st_mode & 0o777) for p in [folder, *folder.rglob("*")]}


def test_a_recorded_voice_is_kept_for_the_kiosk_alone_however_it_arrived(tmp_path, kiosk_data_dir, capsys):
    """A voice is personal: the station's recordings, a pack copied in from a USB stick (0644 there) and
    recordings kept from before this rule all end up 0600 in a 0700 folder."""
    county = _pack_dir(tmp_path, ["service.guides.label", "block.digit.1"])
    for path in [county, *county.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as a county's copy arrives
    installed = kiosk_data_dir / "voice-pack"
    assert main(["voice", "pack", "import", str(county)]) == 0
    capsys.readouterr()
    assert {mode for _, mode in _modes(installed) if _ != "folder"} == {0o600}
    assert {mode for name, mode in _modes(installed) if name == "folder"} == {0o700}
    assert (county / "manifest.json").stat().st_mode & 0o777 == 0o644  # the county's own copy is left as it was
    (installed / "clips" / "block.digit.1.wav").chmod(0o644)  # a recording kept from an older kiosk
    pack = VoicePack.open(installed)
    pack.record(REGISTRY.get("service.subsidy.label"), tone(500), "本站志愿者")
    assert {mode for _, mode in _modes(installed)} == {0o600, 0o700}
    assert (installed / "clips" / "service.subsidy.label.wav").stat().st_mode & 0o777 == 0o600
