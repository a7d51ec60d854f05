"""Headless work on the queue: ``services``, ``submit``, ``sync``, ``queue``, ``audit``."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import systemd
from kiosk.errors import InvalidInput, KioskError
from kiosk.store.states import STATE_WORDS, State

if TYPE_CHECKING:
    import argparse

UNSENT_KINDS = ("guide",)  # shown on the kiosk only: nothing goes to the province


def register(commands) -> None:
    services = commands.add_parser("services", help="the service catalogue with each service's fields")
    services.add_argument("--json", action="store_true")
    services.set_defaults(handler=list_services)

    submit = commands.add_parser("submit", help="validate a request and queue it; prints its id and receipt")
    submit.add_argument("--service", required=True)
    submit.add_argument("--payload-json", required=True, help='the fields, e.g. \'{"topic": "pension"}\'')
    submit.add_argument("--photo", action="append", default=[], metavar="FIELD=FILE", help="a photo field's file")
    submit.add_argument("--subject", help="the villager's ID number, kept only as a keyed hash for look-ups")
    submit.add_argument("--json", action="store_true")
    submit.set_defaults(handler=submit_request)

    sync = commands.add_parser("sync", help="send queued requests to the province (keeps running without --once)")
    sync.add_argument("--once", action="store_true", help="one full pass over what is due, then exit")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=run_sync)

    queue = commands.add_parser("queue", help="look at and fix the queue")
    queue.add_argument("action", choices=["stats", "list", "show", "retry", "discard"])
    queue.add_argument("id", nargs="?")
    queue.add_argument("--state", choices=list(State))
    queue.add_argument("--json", action="store_true")
    queue.set_defaults(handler=queue_action)

    audit = commands.add_parser("audit", help="check the audit trail's hash chain")
    audit.add_argument("action", choices=["verify"])
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=verify_audit)


def _emit(args: argparse.Namespace, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _store():
    from kiosk.paths import data_dir
    from kiosk.store.store import open_store

    store = open_store(data_dir())
    for notice in store.notices:
        print(f"kiosk: {notice}", file=sys.stderr)
    return store


def _catalogue():
    from kiosk.services.reference import reference_files

    return reference_files().catalogue()


def list_services(args: argparse.Namespace) -> int:
    catalogue = _catalogue()
    data = [
        {
            "id": s.id,
            "label": s.label,
            "kind": s.kind,
            "needs_checkin": s.needs_checkin,
            "fields": [
                {
                    "id": f.id,
                    "type": f.type,
                    "label": f.label,
                    "required": f.required,
                    "choices": [c.id for c in f.choices],
                    "when": {c.field: list(c.values) for c in f.when},  # asked only for these earlier answers
                }
                for f in s.fields
            ],
        }
        for s in catalogue.services
    ]
    _emit(args, data, "\n".join(f"{s['id']:16s} {s['label']}  字段：{_field_list(s['fields'])}" for s in data))
    return 0


def _field_list(fields: list[dict]) -> str:
    """area_mu（仅当 subsidy_type 为 farmland_protection/grain_producer）, phone."""

    def one(f: dict) -> str:
        when = "，".join(f"{name} 为 {'/'.join(values)}" for name, values in f["when"].items())
        return f"{f['id']}（仅当 {when}）" if when else f["id"]

    return ", ".join(one(f) for f in fields) or "无"


def submit_request(args: argparse.Namespace) -> int:
    from kiosk.services.validation import validate

    service = _catalogue().service(args.service) if args.service else None
    subject = _sendable_subject(service, args.subject)
    try:
        payload = json.loads(args.payload_json)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"--payload-json 不是有效的 JSON：{error.msg}（第 {error.colno} 个字符）") from None
    photos = _read_photos(args.photo)
    cleaned = validate(service, payload, photos)
    store = _store()
    try:
        queued = store.outbox.enqueue(
            service.id, cleaned, subject=subject, attachments=photos, awaits_result=_awaits_result(service)
        )
    finally:
        store.close()
    _emit(args, {"id": queued.id, "receipt": queued.receipt}, f"已保存，回执号 {queued.receipt}（编号 {queued.id}）")
    return 0


def _read_photos(specs: list[str]) -> dict[str, bytes]:
    photos = {}
    for spec in specs:
        name, equals, file = spec.partition("=")
        if not equals or not name or not file:
            raise InvalidInput(f"--photo {spec}：应写成 FIELD=FILE，例如 --photo photo=苹果.jpg")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise InvalidInput(f"--photo {name}：读不出文件 {file}（{error.strerror}）") from None
        photos[name] = _as_camera_keeps_it(name, file, data)
    return photos


def _as_camera_keeps_it(name: str, file: str, data: bytes) -> bytes:
    """The photo downscaled to a JPEG as the kiosk's camera keeps one: small enough for a village uplink."""
    import cv2
    import numpy as np

    from kiosk.identity.face.camera import shrink_to_jpeg

    frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if frame is None:
        raise InvalidInput(f"--photo {name}：{file} 不是能打开的照片（要 JPEG 或 PNG）")
    return shrink_to_jpeg(frame)


def _sendable_subject(service, subject: str | None) -> str | None:
    """The checked ID number; refuses what no field check catches: a service with nothing to send, or a
    request whose answer nobody could be given."""
    from kiosk.identity.idnumber import parse

    if service.kind in UNSENT_KINDS:
        sendable = "、".join(s.id for s in _catalogue().services if s.kind not in UNSENT_KINDS)
        raise InvalidInput(f"{service.id}（{service.label}）不用提交，没有要发给省平台的；可提交的服务：{sendable}")
    if service.needs_checkin and not subject:
        raise InvalidInput(
            f"{service.id}（{service.label}）要知道是谁办的，结果才能给到本人：请加 --subject IDNO（身份证号）"
        )
    if not subject:
        return None
    try:
        return parse(subject).value
    except InvalidInput as error:
        raise InvalidInput(f"--subject：{error.message}") from None


def _awaits_result(service) -> bool:
    from kiosk.app.submit import ANSWERED_KINDS

    return service.kind in ANSWERED_KINDS


def _relay(store):
    from kiosk.config import load_config
    from kiosk.services.reference import reference_files
    from kiosk.sync.relay import relay_for

    return relay_for(store, load_config(), reference_files())


def run_sync(args: argparse.Namespace) -> int:
    from kiosk.logs import configure as configure_logs
    from kiosk.paths import data_dir

    configure_logs(data_dir())
    store = _store()
    relay = _relay(store)
    try:
        if args.once:
            store.outbox.recover_interrupted()
            report = relay.run_once()
            note = "" if report.reachable else "；省平台连不上，下次再发"
            text = (
                f"发送 {report.sent} 件：受理 {report.accepted}，退回 {report.rejected}，待重发 {report.retried}{note}"
            )
            _emit(args, report.as_dict(), text)
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: (stop.set(), relay.wake()))  # wake it: it may be waiting 30 s
        systemd.notify("READY=1")
        with contextlib.suppress(KeyboardInterrupt):
            relay.run_forever(stop, alive=_watchdog_pings(), on_pass=lambda report: _print_pass(args, report))
        return 0
    finally:
        store.close()


# What a pass did, as ``kiosk sync`` prints it; a pass that moved nothing prints nothing.
PASS_WORDS = {"sent": "发送", "accepted": "受理", "rejected": "退回", "retried": "待重发", "attachments": "照片传完",
              "guide_files": "指南文件", "answers": "收到结果"}  # fmt: skip


def _print_pass(args: argparse.Namespace, report) -> None:
    """One line for each pass that moved something: counts only, never whose request it was."""
    counts = report.as_dict()
    if report.sent or report.attachments or report.guide_files or report.answers:
        done = "，".join(f"{words} {counts[key]}" for key, words in PASS_WORDS.items() if counts[key])
        _emit(args, counts, f"{time.strftime('%H:%M:%S')} {done}")
        sys.stdout.flush()


def _watchdog_pings():
    """What the relay calls between steps under systemd's watchdog: ``WATCHDOG=1``, at most twice a period."""
    interval_ms = systemd.watchdog_interval_ms()
    if interval_ms is None:
        return None
    last = [0.0]

    def ping() -> None:
        now = time.monotonic()
        if now - last[0] >= interval_ms / 2000:
            last[0] = now
            systemd.notify("WATCHDOG=1")

    return ping


STAT_WORDS = {**STATE_WORDS, "attachments_pending": "待传照片", "oldest_waiting_s": "最久等待秒数"}


def queue_action(args: argparse.Namespace) -> int:
    store = _store()
    try:
        outbox = store.outbox
        if args.action == "stats":
            from kiosk.app.staff import photo_progress_words

            stats = outbox.stats()
            words = [f"{STAT_WORDS[k]} {'-' if v is None else v}" for k, v in stats.items() if k in STAT_WORDS]
            _emit(args, stats, "  ".join([*words, photo_progress_words(stats) or ""]).strip())
            return 0
        if args.action == "list":
            items = outbox.items(args.state)
            rows = [_summary(item) for item in items]
            _emit(
                args,
                rows,
                "\n".join(
                    f"{r['receipt']}  {r['service']:16s} {r['state_words']}  {r['last_error'] or ''}" for r in rows
                )
                or "队列是空的",
            )
            return 0
        if not args.id:
            raise InvalidInput(f"queue {args.action} 需要一件的编号（见 kiosk queue list）")
        if args.action == "show":
            row = _summary(outbox.get(args.id))
            _emit(args, row, "\n".join(f"{k}: {v}" for k, v in row.items()))
        elif args.action == "retry":
            outbox.retry(args.id)
            _emit(args, {"id": args.id, "state": "queued"}, "已放回队列，马上重发")
        else:
            outbox.discard(args.id)
            _emit(args, {"id": args.id, "discarded": True}, "已作废，个人信息已删除")
        return 0
    finally:
        store.close()


def _summary(item) -> dict:
    return {
        "id": item.id,
        "receipt": item.receipt,
        "service": item.service,
        "state": item.state,
        "state_words": item.state.words,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "provincial_receipt": item.provincial_receipt,
    }


def verify_audit(args: argparse.Namespace) -> int:
    store = _store()
    try:
        checked, broken = store.audit.verify()
    finally:
        store.close()
    _emit(
        args,
        {"checked": checked, "broken_at": broken},
        f"审计记录 {checked} 条完好" if broken is None else f"审计记录在第 {broken} 条被改动过",
    )
    if broken is not None:
        raise KioskError(f"审计链在第 {broken} 条断开")
    return 0
