"""``kiosk voice``: what a spoken sentence would do, installing the model, and a field check."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kiosk.errors import KioskError

CONTEXTS = ("home", "anywhere", "confirm", "number")


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


def _phrases():
    from kiosk.services.reference import reference_files
    from kiosk.voice.phrases import load_phrases

    return load_phrases(reference_files().catalogue())


def match_text(args: argparse.Namespace) -> int:
    from kiosk.voice.matcher import IntentMatcher, spoken_number

    intent = IntentMatcher(_phrases()[args.screen]).match(args.text)
    result = {"intent": intent.name if intent else None, "phrase": intent.phrase if intent else None}
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
