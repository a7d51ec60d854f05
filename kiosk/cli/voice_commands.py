"""``kiosk voice``: what a spoken sentence would do, installing the model, a field check, the station's
voice pack (recorded prompts), and commands taught in the station's own speech."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError

if TYPE_CHECKING:
    import argparse

CONTEXTS = ("home", "anywhere", "confirm", "number")
SCREENS = ("home", "anywhere", "confirm")


def register(commands) -> None:
    voice = commands.add_parser("voice", help="spoken commands")
    actions = voice.add_subparsers(dest="voice_action", metavar="ACTION", required=True)

    match = actions.add_parser("match", help="the intent a recognised text gives on a screen")
    match.add_argument("text")
    match.add_argument("--screen", choices=CONTEXTS, default="home")
    match.add_argument("--json", action="store_true")
    match.set_defaults(handler=match_text)

    install = actions.add_parser("install-model", help="install a Vosk model archive (checksum verified)")
    install.add_argument("archive", type=Path)
    install.add_argument("--sha256", help="the archive's SHA-256 (else read from ARCHIVE.sha256)")
    install.add_argument("--json", action="store_true")
    install.set_defaults(handler=install_archive)

    check = actions.add_parser("test", help="field check: say each command, see accuracy and latency")
    check.add_argument("--seconds", type=float, default=3.0, help="listening time per command")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=field_test)

    pack = actions.add_parser("pack", help="the station's recordings of the kiosk's lines (a dialect voice pack)")
    pack.add_argument(
        "pack_action", choices=["status", "import", "export", "record"], metavar="status|import|export|record"
    )
    pack.add_argument("path", nargs="?", type=Path, help="import: the pack folder (or its .zip); export: the .zip")
    pack.add_argument("--key", help="record: the line's key (kiosk voice pack status --json lists what is missing)")
    pack.add_argument("--wav", type=Path, help="record: a mono WAV of the line said once (silence is trimmed)")
    pack.add_argument("--speaker", default="", help="record: whose voice")
    pack.add_argument("--dialect", help="record: the dialect the pack speaks (once, for a new pack)")
    pack.add_argument("--json", action="store_true")
    pack.set_defaults(handler=pack_action)

    teach = actions.add_parser("teach", help="teach a command from recordings of a speaker saying it (with consent)")
    teach.add_argument("intent", help="a catalogue service id, or back, home, repeat, volunteer, yes, no")
    teach.add_argument(
        "--wav",
        action="append",
        type=Path,
        required=True,
        metavar="FILE",
        help="16 kHz mono 16-bit WAV of the command, once per file; three or more",
    )
    teach.add_argument("--speaker", default="", help="whose voice (to remove it later)")
    teach.add_argument("--consent", action="store_true", help="the speaker agreed to their voice being kept")
    teach.add_argument("--json", action="store_true")
    teach.set_defaults(handler=teach_command)

    recognize = actions.add_parser("recognize", help="the command a recording gives on a screen")
    recognize.add_argument("--wav", type=Path, required=True, metavar="FILE", help="16 kHz mono 16-bit WAV")
    recognize.add_argument("--screen", choices=SCREENS, required=True)
    recognize.add_argument("--json", action="store_true")
    recognize.set_defaults(handler=recognize_command)

    templates = actions.add_parser("templates", help="the taught commands: list, or remove a speaker's")
    templates.add_argument("templates_action", choices=["list", "remove"], metavar="list|remove")
    templates.add_argument("--speaker", help="only this speaker's (remove without it removes every template)")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(handler=templates_command)


def _phrases():
    from kiosk.services.reference import reference_files
    from kiosk.voice.phrases import load_phrases

    return load_phrases(reference_files().catalogue())


def match_text(args: argparse.Namespace) -> int:
    from kiosk.voice.matcher import spoken_number
    from kiosk.voice.phrases import matchers

    intent = matchers(_phrases())[args.screen].match(args.text)
    result = {"intent": intent.name if intent else None, "phrase": intent.phrase if intent else None}
    if intent is not None and intent.named:
        result |= {"named": intent.named, "field": intent.field}
    if args.screen == "number":
        result["number"] = spoken_number(args.text)
        if intent is None and result["number"] is not None:
            result["intent"] = "number"
    print(json.dumps(result, ensure_ascii=False) if args.json else (result["intent"] or "（没有听懂的命令）"))
    return 0


def install_archive(args: argparse.Namespace) -> int:
    from kiosk.paths import data_dir
    from kiosk.voice.model_install import install_model

    target = install_model(args.archive, data_dir(), args.sha256)
    print(json.dumps({"installed": str(target)}) if args.json else f"语音模型已装好：{target}")
    return 0


def field_test(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.voice.grammar import build_grammar
    from kiosk.voice.matcher import IntentMatcher
    from kiosk.voice.microphone import Microphone
    from kiosk.voice.recognizer import CommandRecognizer

    config = load_config().voice
    model_dir = config.model_dir()
    if not model_dir.exists():
        raise KioskError(f"没有安装语音模型（{model_dir}）：先运行 kiosk voice install-model 模型.zip")
    recognizer = CommandRecognizer(model_dir)
    microphone = Microphone(config.microphone)
    intents = _phrases()["home"]
    grammar = build_grammar([p for ps in intents.values() for p in ps], recognizer.knows)
    matcher = IntentMatcher(intents)
    results = []
    try:
        for intent, phrases in intents.items():
            print(f"请说：{phrases[0]}", flush=True)
            utterance = recognizer.session(grammar)
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                chunk = microphone.read(timeout=0.5)
                if chunk:
                    utterance.feed(chunk)
            started = time.perf_counter()
            heard = utterance.finish()
            latency = (time.perf_counter() - started) * 1000
            got = matcher.match(heard)
            results.append({"asked": intent, "heard": heard, "got": got.name if got else None, "ms": round(latency)})
    finally:
        microphone.close()
    right = sum(r["asked"] == r["got"] for r in results)
    summary = {"accuracy": right / len(results), "median_ms": sorted(r["ms"] for r in results)[len(results) // 2]}
    if args.json:
        print(json.dumps({"results": results, **summary}, ensure_ascii=False))
    else:
        for r in results:
            print(f"{'√' if r['asked'] == r['got'] else '×'} {r['asked']:16s} 听到「{r['heard']}」 {r['ms']} ms")
        print(f"正确 {right}/{len(results)}，识别耗时中位数 {summary['median_ms']} ms")
    return 0 if right == len(results) else 1


def pack_action(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.ui.lines import screen_lines
    from kiosk.voice.pack import VoicePack, export_pack, import_pack
    from kiosk.voice.planner import station_registry

    folder = load_config().voice.pack_dir()
    if args.pack_action == "record":
        return _record_line(args, folder)
    if args.pack_action != "status" and args.path is None:
        what = "录音包文件夹（或它的 .zip）" if args.pack_action == "import" else "要写的 .zip 文件"
        raise InvalidInput(f"kiosk voice pack {args.pack_action} 后面要写{what}")
    if args.pack_action == "import":
        done = import_pack(args.path, folder)
        result = {
            "installed": str(done.folder),
            "dialect": done.dialect,
            "added": done.added,
            "replaced": done.replaced,
            "kept": done.kept,
        }
        counts = f"新增 {done.added} 句，替换 {done.replaced} 句，保留本站 {done.kept} 句"
        message = f"已安装「{done.dialect or '未注明方言'}」录音包：{counts}"
    elif args.pack_action == "export":
        count = export_pack(folder, args.path)
        result, message = {"exported": str(args.path), "recordings": count}, f"已导出 {count} 句录音到 {args.path}"
    else:
        pack = VoicePack.open(folder)
        registry = station_registry(screen_lines())
        coverage = pack.coverage(registry)
        problems = pack.problems()
        missing = [
            {"key": line.key, "text": line.text, "group": line.group} for line in registry if not pack.clip(line)
        ]
        result = {
            "folder": str(folder),
            "dialect": pack.dialect,
            "speaker": pack.speaker,
            "date": pack.date,
            **coverage.as_dict(),
            "problems": problems,
            "missing": missing,
        }
        lines = [f"{pack.dialect or '（没有录音包）'}：已录 {coverage.recorded}/{coverage.total} 句"]
        lines += [f"  {group}：{done}/{total}" for group, (done, total) in coverage.by_group.items()]
        if coverage.stale:
            lines.append(f"  文字改过、要重录的：{'、'.join(coverage.stale)}")
        lines += [f"  问题：{problem}" for problem in problems]
        message = "\n".join(lines)
    print(json.dumps(result, ensure_ascii=False) if args.json else message)
    return 0


def _record_line(args: argparse.Namespace, folder: Path) -> int:
    from kiosk.ui.lines import screen_lines
    from kiosk.voice import audio
    from kiosk.voice.lines import LineError
    from kiosk.voice.pack import VoicePack, wav_trouble
    from kiosk.voice.planner import station_registry

    if not args.key or not args.wav:
        raise InvalidInput("录一句要写 --key 哪一句 和 --wav 录音文件")
    try:
        line = station_registry(screen_lines()).get(args.key)
    except LineError:
        raise InvalidInput(f"没有这一句：{args.key}（kiosk voice pack status --json 列出还没录的）") from None
    if not args.wav.is_file():
        raise InvalidInput(f"找不到录音文件：{args.wav}")
    trouble = wav_trouble(args.wav)
    if trouble:
        raise InvalidInput(trouble)
    pack = VoicePack.open(folder)
    if args.dialect:
        pack.dialect = args.dialect
    if not pack.dialect:
        raise InvalidInput("新的录音包要写 --dialect 方言名（例如 客家话（四县腔））")
    pack.speaker = pack.speaker or args.speaker
    recording = pack.record(line, audio.prepare_recording(*audio.read(args.wav)), args.speaker or pack.speaker)
    result = {"key": recording.key, "text": recording.text, "sha256": recording.sha256}
    print(json.dumps(result, ensure_ascii=False) if args.json else f"已录好「{line.text}」（{line.key}）")
    return 0


def _open_store():
    from kiosk.paths import data_dir
    from kiosk.store.store import open_store

    return open_store(data_dir())


def teach_command(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.voice.features import read_wav
    from kiosk.voice.teaching import load_templates, teach, teachable

    recordings = [read_wav(path) for path in args.wav]
    config = load_config().voice
    known = teachable(_phrases()["home"].keys() - set(_phrases()["anywhere"]))
    store = _open_store()
    try:
        existing = load_templates(store.voices, config.template_threshold, config.template_margin)
        taught = teach(store.voices, args.intent, recordings, args.speaker, args.consent, known, existing)
    finally:
        store.close()
    if args.json:
        print(json.dumps(taught.as_dict(), ensure_ascii=False))
    else:
        print(f"已教会「{taught.intent}」：{taught.speaker} 说了 {taught.recordings} 遍")
        for warning in taught.warnings:
            print(f"  注意：{warning}")
    return 0


def recognize_command(args: argparse.Namespace) -> int:
    from kiosk.config import load_config
    from kiosk.voice.features import NoSpeech, read_wav, speech_features
    from kiosk.voice.phrases import matchers
    from kiosk.voice.recognizer import CommandRecognizer, VoiceModelMissing, check_model_dir, combine
    from kiosk.voice.teaching import load_templates

    pcm = read_wav(args.wav)
    config = load_config().voice
    phrases = _phrases()
    store = _open_store()
    try:
        templates = load_templates(store.voices, config.template_threshold, config.template_margin)
    finally:
        store.close()
    decision = None
    if len(templates):
        try:
            decision = templates.decide(speech_features(pcm), phrases[args.screen])
        except NoSpeech:
            decision = None
    heard_text, matcher = None, None
    try:
        check_model_dir(config.model_dir())
    except VoiceModelMissing:
        pass
    else:
        from kiosk.voice.grammar import build_grammar

        recognizer = CommandRecognizer(config.model_dir())
        grammar = build_grammar([p for ps in phrases[args.screen].values() for p in ps], recognizer.knows)
        heard_text, matcher = recognizer.decode(pcm, grammar), matchers(phrases)[args.screen]
    heard = combine(decision, heard_text, matcher)
    if args.json:
        print(json.dumps(heard.as_dict(), ensure_ascii=False))
    elif heard.intent is None:
        print("（没有听懂的命令）")
    else:
        score = f"，距离 {heard.score:.1f}" if heard.score is not None else ""
        print(f"{heard.intent.name}（{'教过的命令' if heard.engine == 'templates' else '语音模型'}{score}）")
    return 0


def _refuse_unknown_speaker(speaker: str, known: set[str]) -> None:
    if speaker not in known:
        listed = "、".join(sorted(name for name in known if name))
        known_words = f"教过命令的有：{listed}" if listed else "还没有人教过命令"
        raise KioskError(f"没有叫「{speaker}」的说话人，什么也没删（{known_words}）")


def templates_command(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        if args.templates_action == "remove":
            if args.speaker:
                _refuse_unknown_speaker(args.speaker, {taught.speaker for taught in store.voices.all()})
            removed = store.voices.remove(args.speaker)
            whose = f"{args.speaker} 的" if args.speaker else "全部"
            result, message = {"removed": removed}, f"已删除{whose}语音命令录音 {removed} 条"
        else:
            rows: dict[tuple[str, str], dict] = {}
            for taught in store.voices.all():
                if args.speaker and taught.speaker != args.speaker:
                    continue
                row = rows.setdefault(
                    (taught.speaker, taught.intent),
                    {"speaker": taught.speaker, "intent": taught.intent, "templates": 0, "taught_at": taught.taught_at},
                )
                row["templates"] += 1
                row["taught_at"] = max(row["taught_at"], taught.taught_at)
            listed = list(rows.values())
            result = {"templates": listed}
            message = (
                "\n".join(f"{r['speaker']}  {r['intent']}  {r['templates']} 遍" for r in listed) or "还没有教过命令"
            )
    finally:
        store.close()
    print(json.dumps(result, ensure_ascii=False) if args.json else message)
    return 0
