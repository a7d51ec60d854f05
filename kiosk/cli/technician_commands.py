"""The technician's commands: ``config``, ``doctor``, ``logs export``, ``volunteer``, ``pin hash``."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError

if TYPE_CHECKING:
    import argparse

MARKS = {"ok": "正常", "warning": "注意", "failure": "故障"}


def register(commands) -> None:
    config = commands.add_parser("config", help="check the configuration file, or print a commented template")
    config.add_argument("action", choices=["check", "template"])
    config.add_argument("--file", type=Path, help="the file to check (default: the one in force)")
    config.add_argument("--json", action="store_true")
    config.set_defaults(handler=config_action)

    doctor = commands.add_parser("doctor", help="check every device and dependency; exit 1 if anything failed")
    doctor.add_argument("--only", action="append", metavar="CHECK", help="run only these checks (repeatable)")
    doctor.add_argument("--json", action="store_true")
    doctor.set_defaults(handler=run_doctor)

    logs = commands.add_parser("logs", help="write a support bundle: logs, doctor, config without secrets, queue")
    logs.add_argument("action", choices=["export"])
    logs.add_argument("--out", type=Path, help="the .tar.gz to write (default: in the current directory)")
    logs.add_argument("--skip-doctor", action="store_true", help="leave out the device checks (faster)")
    logs.add_argument("--json", action="store_true")
    logs.set_defaults(handler=export_logs)

    volunteer = commands.add_parser("volunteer", help="the station's volunteers who may open helper mode by PIN")
    volunteer.add_argument("action", choices=["add", "remove", "list"])
    volunteer.add_argument("name", nargs="?")
    volunteer.add_argument("--pin-stdin", action="store_true", help="read the new PIN from standard input")
    volunteer.add_argument("--json", action="store_true")
    volunteer.set_defaults(handler=volunteer_action)

    pin = commands.add_parser("pin", help="hash a technician PIN for technician_pin_hash in kiosk.toml")
    pin.add_argument("action", choices=["hash"])
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    pin.add_argument("--json", action="store_true")
    pin.set_defaults(handler=hash_pin)


def config_action(args: argparse.Namespace) -> int:
    from kiosk.config import check_config, config_path, template

    if args.action == "template":
        print(template(), end="")
        return 0
    path = args.file or config_path()
    if args.file and not path.exists():
        raise InvalidInput(f"没有这个文件：{path}")
    problems = check_config(path)
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        rows = [
            {"key": p.key, "line": p.line, "severity": p.severity, "message": p.message, "fix": p.fix} for p in problems
        ]
        print(json.dumps({"file": str(path), "ok": not errors, "problems": rows}, ensure_ascii=False))
    else:
        where = str(path) if path.exists() else f"{path}（不存在：用演示设置）"
        for problem in problems:
            print(f"{'错误' if problem.severity == 'error' else '提醒'}  {problem}")
        print(
            f"{where}：{len(errors)} 个错误，{len(problems) - len(errors)} 个提醒" if problems else f"{where}：没有问题"
        )
    return 1 if errors else 0


def _doctor_results(only: list[str] | None):
    from kiosk.app.doctor import CHECKS, Context, run_checks
    from kiosk.config import config_path, read_config
    from kiosk.paths import data_dir
    from kiosk.ui.lines import screen_lines

    known = {check_id for check_id, _, _ in CHECKS}
    unknown = set(only or ()) - known
    if unknown:
        raise InvalidInput(f"没有这项检查：{', '.join(sorted(unknown))}（有：{', '.join(sorted(known))}）")
    config, _ = read_config(config_path())
    return run_checks(Context(config, data_dir(), screen_lines()), set(only) if only else None)


def run_doctor(args: argparse.Namespace) -> int:
    from kiosk.app.doctor import passed

    results = _doctor_results(args.only)
    if args.json:
        print(json.dumps({"ok": passed(results), "checks": [r.as_dict() for r in results]}, ensure_ascii=False))
    else:
        for result in results:
            fix = f"  → {result.fix}" if result.fix else ""
            print(f"[{MARKS[result.status]}] {result.label}：{result.detail}{fix}")
    return 0 if passed(results) else 1


def export_logs(args: argparse.Namespace) -> int:
    import io
    import tarfile

    from kiosk.cli.output_paths import in_existing_folder
    from kiosk.config import config_path, read_config
    from kiosk.paths import data_dir

    folder = data_dir()
    out = in_existing_folder(args.out or Path.cwd() / time.strftime("kiosk-support-%Y%m%d-%H%M%S.tar.gz"))
    config, problems = read_config(config_path())
    parts: dict[str, bytes] = {
        "config.json": _json_bytes(_config_without_secrets(config) | {"problems": [str(p) for p in problems]}),
    }
    if not args.skip_doctor:
        parts["doctor.json"] = _json_bytes([r.as_dict() for r in _doctor_results(None)])
    try:
        parts["queue-stats.json"] = _json_bytes(_queue_stats())
    except KioskError as error:
        parts["queue-stats.json"] = _json_bytes({"error": error.message})
    try:
        with tarfile.open(out, "w:gz") as bundle:
            for name, data in parts.items():
                info = tarfile.TarInfo(f"kiosk-support/{name}")
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                bundle.addfile(info, io.BytesIO(data))
            for log in sorted((folder / "logs").glob("kiosk.log*")):
                bundle.add(log, f"kiosk-support/logs/{log.name}")
    except OSError as error:
        raise KioskError(f"写不了 {out}：{error.strerror}") from None
    out.chmod(0o600)
    if args.json:
        print(json.dumps({"bundle": str(out), "files": sorted(parts)}, ensure_ascii=False))
    else:
        print(f"支持包已写好：{out}")
    return 0


def _config_without_secrets(config) -> dict:
    shown = asdict(config)
    for key in ("secret", "technician_pin_hash"):
        shown[key] = "（已设置）" if shown[key] else "（未设置）"
    shown["secret"] = "（演示密钥）" if config.is_demo else shown["secret"]
    return shown


def _queue_stats() -> dict:
    from kiosk.paths import data_dir
    from kiosk.store.store import open_store

    store = open_store(data_dir())
    try:
        return store.outbox.stats()
    finally:
        store.close()


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _new_pin(args: argparse.Namespace, whose: str) -> str:
    import getpass
    import warnings

    if args.pin_stdin:
        return sys.stdin.readline().strip()
    with warnings.catch_warnings():
        # getpass warns and reads the PIN back in clear when there is no terminal: refuse instead
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            pin = getpass.getpass(f"{whose}的新 PIN：")
            again = getpass.getpass("再输一遍：")
        except (getpass.GetPassWarning, EOFError):
            raise InvalidInput("没有终端可以输 PIN：请用 --pin-stdin，从标准输入给 PIN") from None
    if again != pin:
        raise InvalidInput("两次输入的 PIN 不一样")
    return pin


def volunteer_action(args: argparse.Namespace) -> int:
    from kiosk.paths import data_dir
    from kiosk.store.store import open_store

    if args.action != "list" and not args.name:
        raise InvalidInput(f"请写志愿者的名字：kiosk volunteer {args.action} 名字")
    store = open_store(data_dir())
    try:
        if args.action == "list":
            names = store.volunteers.names()
            listed = "\n".join(names) if names else "还没有志愿者：kiosk volunteer add 名字"
            print(json.dumps({"volunteers": names}, ensure_ascii=False) if args.json else listed)
            return 0
        if args.action == "add":
            store.volunteers.add(args.name, _new_pin(args, args.name))
            message = f"已添加志愿者 {args.name}"
        else:
            store.volunteers.remove(args.name)
            message = f"已删除志愿者 {args.name}"
    finally:
        store.close()
    print(json.dumps({"ok": True, "message": message}, ensure_ascii=False) if args.json else message)
    return 0


def hash_pin(args: argparse.Namespace) -> int:
    from kiosk.store.crypto import PIN_RULE, valid_pin
    from kiosk.store.crypto import hash_pin as make_hash

    pin = _new_pin(args, "技术员")
    if not valid_pin(pin):
        raise InvalidInput(f"PIN 应是 {PIN_RULE}")
    hashed = make_hash(pin)
    if args.json:
        print(json.dumps({"technician_pin_hash": hashed}))
    else:
        print(f'technician_pin_hash = "{hashed}"')
    return 0
