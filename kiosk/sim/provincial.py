"""``kiosk-provincial-sim``: the reference provincial server, for development, tests, demos and pilots.

A real HTTP server that implements kiosk/sync/contract.json, keeps what it receives in its own
SQLite file, deduplicates on the idempotency key and checks signatures. Switches inject the
failures a village kiosk meets: random 5xx, slow replies, and the nasty one, a batch committed
and then the connection dropped before the reply. An attachment chunk whose connection drops
midway is kept as far as it arrived, so the kiosk resumes from there (contract.json). It serves
a county guide set (``--guide-set DIR``, by default the sample in kiosk/sim/county_guides): its
manifest by ETag and its media files by hash, in byte ranges.

    kiosk-provincial-sim --host 127.0.0.1 --port 8780 --db sim.db [--fail-rate F] [--latency-ms N] [--seed S]
                         [--kiosk-secrets FILE] [--hostile KIND [--hostile-rate F] [--drip-ms N]]
                         [--drop-cut-chunks] [--guide-set DIR|none]

``--hostile`` (kiosk/sim/hostile.py) answers with what a broken or hostile province sends. With
only the public demo secret it listens on loopback alone: anyone could sign as the demo kiosk.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import ipaddress
import json
import random
import re
import signal
import socket
import sqlite3
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import DEMO_KIOSK_ID, DEMO_PORT, DEMO_SECRET
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.services.validation import condition_problem
from kiosk.sim import certification, hostile
from kiosk.sync import replies, signing

if TYPE_CHECKING:
    from kiosk.sim.hostile import Hostility

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, service TEXT NOT NULL, payload TEXT NOT NULL,
    receipt TEXT NOT NULL, deliveries INTEGER NOT NULL, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (hash TEXT PRIMARY KEY, data BLOB NOT NULL, complete INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats (kiosk TEXT PRIMARY KEY, report TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS certifications (
    id TEXT PRIMARY KEY, method TEXT NOT NULL, checks TEXT NOT NULL, certified INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit_heads (
    kiosk TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (kiosk, seq));
CREATE TABLE IF NOT EXISTS audit_alarms (kiosk TEXT NOT NULL, at REAL NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (
    request_id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, rating TEXT NOT NULL, reasons TEXT NOT NULL,
    rated_at REAL NOT NULL);
"""
MAX_BODY = 8 * 1024 * 1024
MAX_BATCH = 500
ELIGIBLE_AREA_MU = 500
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HASH = re.compile(r"^[0-9a-f]{64}$")
RATING_SERVICE = "rating"  # the contract's RatingPayload
RATINGS = ("satisfied", "basic", "unsatisfied")
RATING_REASONS = ("waited_too_long", "hard_to_use", "not_done", "hard_to_hear_or_read")
SAMPLE_GUIDE_SET = Path(__file__).with_name("county_guides")
GUIDE_MANIFEST = "guide_manifest.json"
BYTE_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class Province:
    """The province's state and rules, apart from HTTP."""

    def __init__(
        self,
        db_path: Path,
        secrets: dict[str, str],
        fail_rate: float,
        latency_ms: int,
        seed: int | None,
        reference_dir: Path | None = None,
        hostility: Hostility | None = None,
    ):
        self.hostility = hostility
        self.reference_dir = reference_dir or offline_cache_dir()
        self.guide_set: Path | None = SAMPLE_GUIDE_SET  # the county's: guide_manifest.json and guides/
        self.conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.secrets = secrets
        self.fail_rate = fail_rate
        self.latency_s = latency_ms / 1000
        self.keep_cut_chunks = True  # False: a chunk whose connection dropped is thrown away, as some servers do
        self.rng = random.Random(seed)
        # The province's own catalogue (the one it pushes, over the shipped one): its conditions are checked.
        self.catalogue = {s.id: s for s in load_catalogue(self.reference_dir, offline_cache_dir()).services}
        self.services = set(self.catalogue)
        self.issued = self.conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]

    def failure(self) -> str | None:
        """None, or which failure to inject into this request: ``error`` or ``drop``."""
        with self.lock:
            if self.rng.random() >= self.fail_rate:
                return None
            return self.rng.choice(("error", "drop"))

    def submit(self, kiosk: str, items: list) -> list[dict]:
        results = []
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            for item in items:
                results.append(self._submit_one(kiosk, item))
            self.conn.execute("COMMIT")
        return results

    def _submit_one(self, kiosk: str, item: object) -> dict:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not UUID.match(item["id"]):
            return {
                "id": item.get("id") if isinstance(item, dict) else None,
                "status": "rejected",
                "reason": "invalid_payload",
                "message": "缺少有效的编号",
            }
        item_id = item["id"]
        row = self.conn.execute("SELECT receipt FROM submissions WHERE id = ?", (item_id,)).fetchone()
        if row:
            self.conn.execute("UPDATE submissions SET deliveries = deliveries + 1 WHERE id = ?", (item_id,))
            return {"id": item_id, "status": "duplicate", "receipt": row[0]}
        rejection = self._rejection(item)
        if rejection:
            return {"id": item_id, "status": "rejected", "reason": rejection[0], "message": rejection[1]}
        self.issued += 1
        receipt = f"SW{time.strftime('%Y')}{self.issued:08d}"
        self.conn.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, 1, ?)",
            (
                item_id,
                kiosk,
                item.get("service"),
                json.dumps(item.get("payload"), ensure_ascii=False),
                receipt,
                time.time(),
            ),
        )
        if item["service"] == "pension_cert":
            self._record_certification(item_id, item["payload"]["liveness"])
        if item["service"] == RATING_SERVICE:  # one rating per request: the latest counts
            rating = item["payload"]
            self.conn.execute(
                "INSERT OR REPLACE INTO ratings VALUES (?, ?, ?, ?, ?)",
                (rating["request_id"], kiosk, rating["rating"], json.dumps(rating["reasons"]), time.time()),
            )
        return {"id": item_id, "status": "accepted", "receipt": receipt}

    def _record_certification(self, item_id: str, evidence: dict) -> None:
        checks = certification.checks_passed(evidence)
        self.conn.execute(
            "INSERT INTO certifications VALUES (?, ?, ?, ?)",
            (item_id, evidence["method"], json.dumps(checks), all(checks.values())),
        )

    def certifications(self) -> list[dict]:
        with self.lock:
            rows = self.conn.execute("SELECT id, method, checks, certified FROM certifications").fetchall()
        return [{"id": i, "method": m, "checks": json.loads(c), "certified": bool(v)} for i, m, c, v in rows]

    def _rejection(self, item: dict) -> tuple[str, str] | None:
        if item.get("service") not in self.services and item.get("service") != RATING_SERVICE:
            return "unknown_service", f"不办理「{item.get('service')}」"
        payload = item.get("payload")
        if not isinstance(payload, dict):
            return "invalid_payload", "内容不是一张表"
        if item["service"] == "pension_cert" and (problem := certification.liveness_problem(payload.get("liveness"))):
            return "invalid_payload", problem
        if item["service"] == RATING_SERVICE and not _valid_rating(payload):
            return "invalid_payload", "评价的内容不对"
        service = self.catalogue.get(item["service"])
        if service is not None and (problem := condition_problem(service, payload)):
            return "invalid_payload", problem
        area = payload.get("area_mu")
        if item["service"] == "subsidy" and isinstance(area, (int, float)) and area > ELIGIBLE_AREA_MU:
            return "not_eligible", f"面积超过 {ELIGIBLE_AREA_MU} 亩，请到乡镇办理"
        return None

    def ratings(self) -> dict:
        with self.lock:
            rows = self.conn.execute("SELECT request_id, rating, reasons FROM ratings ORDER BY rated_at").fetchall()
        counts = dict.fromkeys(RATINGS, 0)
        for _, rating, _ in rows:
            counts[rating] += 1
        listed = [{"request_id": i, "rating": r, "reasons": json.loads(w)} for i, r, w in rows]
        return {"counts": counts, "ratings": listed}

    def submissions(self) -> dict:
        with self.lock:
            rows = self.conn.execute(
                "SELECT id, service, receipt, deliveries FROM submissions ORDER BY received_at"
            ).fetchall()
        return {
            "submissions": [{"id": i, "service": s, "receipt": r, "deliveries": d} for i, s, r, d in rows],
            "duplicate_deliveries": sum(d - 1 for *_, d in rows),
        }

    def attachment_progress(self, digest: str) -> dict:
        with self.lock:
            row = self.conn.execute(
                "SELECT length(data), complete FROM attachments WHERE hash = ?", (digest,)
            ).fetchone()
        return {"received": row[0] if row else 0, "complete": bool(row and row[1])}

    def attachment_chunk(self, digest: str, offset: int, total: int, chunk: bytes) -> tuple[int, dict]:
        with self.lock:
            row = self.conn.execute("SELECT data, complete FROM attachments WHERE hash = ?", (digest,)).fetchone()
            held = row[0] if row else b""
            if row and row[1]:
                return 200, {"received": len(held), "complete": True}
            if offset != len(held) or offset + len(chunk) > total:
                return 409, {"received": len(held), "complete": False}
            data = held + chunk
            complete = len(data) == total
            if complete and hashlib.sha256(data).hexdigest() != digest:
                self.conn.execute("DELETE FROM attachments WHERE hash = ?", (digest,))
                return 422, {"error": "hash_mismatch"}
            self.conn.execute("INSERT OR REPLACE INTO attachments VALUES (?, ?, ?)", (digest, data, complete))
        return 200, {"received": len(data), "complete": complete}

    def guide_manifest(self) -> bytes | None:
        """The county's manifest as it wrote it (read afresh: a county pushes by replacing the folder)."""
        try:
            return (self.guide_set / GUIDE_MANIFEST).read_bytes() if self.guide_set else None
        except OSError:
            return None

    def guide_media(self, digest: str) -> Path | None:
        """The file the manifest lists under ``digest``, served as it is on disk, right or wrong."""
        body = self.guide_manifest()
        try:
            media = json.loads(body)["media"] if body else []
            name = next((m["file"] for m in media if m["sha256"] == digest), None)
        except (ValueError, KeyError, TypeError):
            return None
        path = name and self.guide_set / "guides" / name
        return path if path and ".." not in name and path.is_file() else None

    def heartbeat(self, kiosk: str, report: dict) -> str | None:
        """Note a kiosk's health and its audit chain head; the reason if the chain was rewritten, else None."""
        now = time.time()
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            alarm = self._audit_alarm(kiosk, report.get("audit_head"), report.get("audit_since"))
            self.conn.execute("INSERT OR REPLACE INTO heartbeats VALUES (?, ?, ?)", (kiosk, json.dumps(report), now))
            if report.get("audit_head"):
                head = report["audit_head"]
                self.conn.execute("INSERT OR IGNORE INTO audit_heads VALUES (?, ?, ?, ?)",
                                  (kiosk, head["seq"], head["hash"], now))  # fmt: skip
            if alarm:
                self.conn.execute("INSERT INTO audit_alarms VALUES (?, ?, ?)", (kiosk, now, alarm))
            self.conn.execute("COMMIT")
        return alarm

    def _audit_alarm(self, kiosk: str, head: dict | None, since: dict | None) -> str | None:
        """A chain only grows, and a row once named as head keeps its hash: anything else is a rewrite."""
        seen = dict(self.conn.execute("SELECT seq, hash FROM audit_heads WHERE kiosk = ?", (kiosk,)).fetchall())
        if not seen:
            return None
        if head is None or head["seq"] < max(seen):
            return f"审计链变短了：以前到第 {max(seen)} 条"
        for named in (head, since):
            if named is not None and named["seq"] in seen and seen[named["seq"]] != named["hash"]:
                return f"审计链第 {named['seq']} 条被改写过"
        if since is None or since["seq"] not in seen:
            return "终端没能指出上次报过的审计链位置"
        return None

    def fleet(self) -> list[dict]:
        with self.lock:
            rows = self.conn.execute(
                "SELECT kiosk, report, at, (SELECT reason FROM audit_alarms a WHERE a.kiosk = h.kiosk"
                " ORDER BY at DESC LIMIT 1) FROM heartbeats h ORDER BY kiosk"
            ).fetchall()
        return [
            {"kiosk": kiosk, "at": at, "report": json.loads(report), "audit_alarm": alarm}
            for kiosk, report, at, alarm in rows
        ]

    def result(self, item_id: str) -> dict | None:
        with self.lock:
            row = self.conn.execute("SELECT service, payload FROM submissions WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        service, payload = row[0], json.loads(row[1])
        return {"status": "ready", "result": service_result(service, payload if isinstance(payload, dict) else {})}


def _valid_rating(payload: dict) -> bool:
    reasons = payload.get("reasons")
    return (
        set(payload) == {"request_id", "rating", "reasons"}
        and isinstance(payload["request_id"], str)
        and bool(UUID.match(payload["request_id"]))
        and payload["rating"] in RATINGS
        and isinstance(reasons, list)
        and len(reasons) <= len(RATING_REASONS)
        and all(isinstance(r, str) and r in RATING_REASONS for r in reasons)
        and len(set(reasons)) == len(reasons)
        and (not reasons or payload["rating"] == "unsatisfied")
    )


def service_result(service: str, payload: dict) -> dict:
    """What the province answers, as lines a villager can read: realistic and the same for the same person."""
    applicant = payload.get("applicant") if isinstance(payload.get("applicant"), dict) else {}
    seed = int(hashlib.sha256(str(applicant.get("id_number", "")).encode()).hexdigest()[:8], 16)
    if service == "social_security":
        pension = 1_650 + seed % 900 + (seed >> 10) % 100 / 100
        medical = 200 + (seed >> 4) % 2_800 + (seed >> 12) % 100 / 100
        month = time.strftime("%Y年%m月")
        lines = {
            "pension": [f"养老金每月 {pension:,.2f} 元", f"{month}的养老金已经发放"],
            "medical": [f"医保个人账户余额 {medical:,.2f} 元"],
            "payments": [f"{month}的养老金 {pension:,.2f} 元已经发放", f"已经缴费 {15 + seed % 20} 年"],
        }.get(payload.get("topic"), [f"养老金每月 {pension:,.2f} 元"])
        return {"title": "社保查询结果", "lines": lines}
    if service == "pension_cert":
        evidence = payload.get("liveness")
        passed = certification.liveness_problem(evidence) is None and certification.certified(evidence)
        until = f"{int(time.strftime('%Y')) + 1}年{time.strftime('%m')}月"
        lines = [f"养老资格认证已通过，有效期到 {until}"] if passed else ["认证没有通过，请带身份证到乡镇社保所办理"]
        if passed and evidence.get("method") == "volunteer":
            lines.append("由服务站志愿者现场确认")
        return {"title": "养老认证结果", "lines": lines}
    if service == "farm_listing":
        return {"title": "农产品代销", "lines": ["您的农产品已经上架，有人要买会打您留的电话"]}
    return {"title": "办理结果", "lines": ["省平台已受理"]}


def _json(status: int, data: dict) -> tuple[int, bytes, dict]:
    return status, json.dumps(data, ensure_ascii=False).encode(), {}


class Handler(BaseHTTPRequestHandler):
    server_version = "ProvincialSim/1.0"
    province: Province
    protocol_version = "HTTP/1.1"  # keep-alive, as a real province: a new connection costs a slow link a round trip
    timeout = 120  # a kiosk that went silent mid-request does not hold a thread for ever
    disable_nagle_algorithm = True  # headers and body go out at once, not a delayed-ACK wait apart

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def _handle(self, method: str) -> None:
        province = self.province
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:  # read(-1) would wait for the client to close: a thread held for ever
            self.close_connection = True
            self._reply(400, {"error": "bad_length"})
            return
        if length > MAX_BODY:
            self.close_connection = True  # the unread body would be taken for the next request
            self._reply(413, {"error": "too_large"})
            return
        body = self._read_body(length)
        self.cut_short = len(body) < length
        if self.cut_short and not self._is_chunk(method):
            self.close_connection = True  # the kiosk went away mid-request: there is no one to answer
            return
        if province.latency_s:
            time.sleep(province.latency_s)
        path = self.path.split("?", 1)[0]
        if path == "/v1/health" and method == "GET":
            self._reply(200, {"status": "ok", "time": time.time()})
            return
        if path == "/v1/_sim/submissions" and method == "GET":
            self._reply(200, province.submissions())
            return
        if path == "/v1/_sim/certifications" and method == "GET":
            self._reply(200, {"certifications": province.certifications()})
            return
        if path == "/v1/_sim/ratings" and method == "GET":
            self._reply(200, province.ratings())
            return
        if path == "/v1/_sim/fleet" and method == "GET":
            self._reply(200, {"kiosks": province.fleet()})
            return
        if path == "/fleet" and method == "GET":
            self._send(200, fleet_page(province.fleet(), time.time()).encode(), {}, "text/html; charset=utf-8")
            return
        kiosk = self.headers.get(signing.KIOSK_HEADER, "")
        secret = province.secrets.get(kiosk)
        signed = self._chunk_text(length) if self._is_chunk(method) else body
        problem = (
            "bad_signature"
            if secret is None or signed is None
            else signing.verify(secret, method, path, self.headers, signed, time.time())
        )
        if problem:
            self._reply(401, {"error": problem, "server_time": time.time()})
            return
        if self.cut_short:  # a chunk whose connection dropped: keep what arrived; the kiosk will ask
            if province.keep_cut_chunks and HASH.match(path.rsplit("/", 1)[-1]):
                province.attachment_chunk(path.rsplit("/", 1)[-1], *self._chunk_place(), body)
            self.close_connection = True
            return
        failure = province.failure() if method in ("POST", "PUT") else None
        if failure == "error":
            self._reply(503, {"error": "try_later"})
            return
        hostile = province.hostility.pick(method, path) if province.hostility else None
        if hostile:
            province.hostility.respond(self, hostile, method, path, kiosk, body)
            return
        status, reply, extra = self._route(method, path, kiosk, body)
        if failure == "drop" and method == "POST" and path == "/v1/submissions/batch" and status == 200:
            self._drop()
            return
        self._send(status, reply, extra)

    def honest(self, method: str, path: str, kiosk: str, body: bytes) -> tuple[int, bytes]:
        """What the province really answers (hostile mode spoils it after)."""
        status, reply, _ = self._route(method, path, kiosk, body)
        return status, reply

    def _route(self, method: str, path: str, kiosk: str, body: bytes) -> tuple[int, bytes, dict]:
        province = self.province
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/submissions/batch":
            try:
                items = json.loads(body)["items"]
                if not isinstance(items, list) or len(items) > MAX_BATCH:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                return _json(400, {"error": "malformed_batch"})
            return _json(200, {"results": province.submit(kiosk, items)})
        if method == "POST" and path == "/v1/heartbeat":
            try:
                report = replies.check_request(path, method, body)
            except replies.ReplyRefused:
                return _json(400, {"error": "malformed"})
            province.heartbeat(kiosk, report)
            return 204, b"", {}
        if len(parts) == 3 and parts[:2] == ["v1", "attachments"] and HASH.match(parts[2]):
            if method == "GET":
                return _json(200, province.attachment_progress(parts[2]))
            if method == "PUT":
                try:
                    offset, total = int(self.headers["X-Upload-Offset"]), int(self.headers["X-Upload-Total"])
                except (KeyError, TypeError, ValueError):
                    return _json(400, {"error": "missing_offset"})
                return _json(*province.attachment_chunk(parts[2], offset, total, body))
        if method == "GET" and path == "/v1/reference/guide_manifest":
            return self._etagged(province.guide_manifest())
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "guide-media"] and HASH.match(parts[2]):
            return self._media_range(province.guide_media(parts[2]))
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "reference"]:
            return self._reference(parts[2])
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "results"]:
            result = province.result(parts[2])
            return _json(200 if result else 404, result or {"error": "unknown_id"})
        return _json(404, {"error": "no_such_path"})

    def _is_chunk(self, method: str) -> bool:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        return method == "PUT" and len(parts) == 3 and parts[:2] == ["v1", "attachments"]

    def _chunk_place(self) -> tuple[int, int]:
        return int(self.headers["X-Upload-Offset"]), int(self.headers["X-Upload-Total"])

    def _chunk_text(self, length: int) -> bytes | None:
        try:
            offset, total = self._chunk_place()
        except (KeyError, TypeError, ValueError):
            return None
        return signing.chunk_text(offset, length, total)

    def _read_body(self, length: int) -> bytes:
        """The body, or as much of it as arrived before the connection ended."""
        pieces, left = [], length
        while left > 0:
            try:
                piece = self.rfile.read1(min(left, 64 * 1024))
            except OSError:
                break
            if not piece:
                break
            pieces.append(piece)
            left -= len(piece)
        return b"".join(pieces)

    def _reference(self, name: str) -> tuple[int, bytes, dict]:
        path = self.province.reference_dir / f"{name}.json"
        if not re.fullmatch(r"[a-z_]+", name) or not path.exists():
            return _json(404, {"error": "no_such_list"})
        return self._etagged(path.read_bytes())

    def _media_range(self, path: Path | None) -> tuple[int, bytes, dict]:
        """The whole file, or the Range asked for as a 206 with its Content-Range."""
        if path is None:
            return _json(404, {"error": "no_such_file"})
        data = path.read_bytes()
        asked = BYTE_RANGE.match(self.headers.get("Range", ""))
        if asked is None:
            return 200, data, {"Content-Type": "application/octet-stream"}
        first = int(asked[1])
        last = min(int(asked[2]) if asked[2] else len(data) - 1, len(data) - 1)
        if first >= len(data) or last < first:
            return 416, b"", {"Content-Range": f"bytes */{len(data)}"}
        extra = {"Content-Type": "application/octet-stream", "Content-Range": f"bytes {first}-{last}/{len(data)}"}
        return 206, data[first : last + 1], extra

    def _etagged(self, body: bytes | None) -> tuple[int, bytes, dict]:
        if body is None:
            return _json(404, {"error": "no_such_list"})
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag:
            return 304, b"", {"ETag": etag}
        return 200, body, {"ETag": etag}

    def _reply(self, status: int, data: dict | None, extra: dict | None = None) -> None:
        body = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
        self._send(status, body, extra or {})

    def _send(self, status: int, body: bytes, extra: dict, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for key, value in ({"Content-Type": content_type} | extra).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _drop(self) -> None:
        """Close with a reset, after the batch was committed: the kiosk never hears the answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


FLEET_COLUMNS = (
    ("queue_length", "待发送"),
    ("oldest_waiting_s", "最久等待（秒）"),
    ("set_aside", "被退回"),
    ("last_sync", "上次同步"),
    ("devices", "设备"),
    ("guide_set", "指南"),
    ("version", "版本"),
)


def fleet_page(kiosks: list[dict], now: float) -> str:
    """The county's view: every kiosk and its last heartbeat, oldest news first."""
    rows = []
    for kiosk in sorted(kiosks, key=lambda k: k["at"]):
        report = kiosk["report"]
        cells = [html.escape(kiosk["kiosk"]), f"{(now - kiosk['at']) / 60:.0f} 分钟前",
                 html.escape(kiosk.get("audit_alarm") or "完好")]  # fmt: skip
        for key, _ in FLEET_COLUMNS:
            value = report.get(key)
            if key == "last_sync" and isinstance(value, (int, float)):
                value = time.strftime("%m-%d %H:%M", time.localtime(value))
            elif isinstance(value, dict):
                value = "，".join(f"{name}：{state}" for name, state in value.items())
            cells.append(html.escape("—" if value is None else str(value)))
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    labels = ("终端", "上次报平安", "审计链", *(label for _, label in FLEET_COLUMNS))
    heads = "".join(f"<th>{label}</th>" for label in labels)
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>终端一览</title>'
        "<style>body{font:18px sans-serif;margin:2em}td,th{border:1px solid #888;padding:.3em .6em}"
        "table{border-collapse:collapse}</style>"
        f"<h1>终端一览（{len(kiosks)} 台）</h1><table><tr>{heads}</tr>{''.join(rows)}</table></html>"
    )


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs):
        self._open: set[socket.socket] = set()  # kept-alive connections: a stopped province closes them too
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def get_request(self):
        connection, address = super().get_request()
        with self._open_lock:
            self._open.add(connection)
        return connection, address

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        with self._open_lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address) -> None:
        """A kiosk that vanished mid-reply is normal here (that is what the tests do to it)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(host: str, port: int, province: Province, handler: type[Handler] = Handler) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (handler,), {"province": province})
    server = QuietServer((host, port), handler)
    return server


def _secrets(path: Path | None) -> dict[str, str]:
    """The kiosks it accepts: the public demo pair, or (with --kiosk-secrets) a JSON object of id to secret."""
    if path is None:
        return {DEMO_KIOSK_ID: DEMO_SECRET}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data or not all(isinstance(v, str) and v for v in data.values()):
        raise ValueError(f"{path}: should be a JSON object of kiosk id to secret")
    return data


def _loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk-provincial-sim",
        description="reference provincial server",
        epilog="hostile kinds (--hostile KIND):\n" + hostile.describe(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    parser.add_argument("--db", type=Path, required=True, help="the simulator's own SQLite file")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of POST/PUT requests that fail (0-1)")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay before every reply")
    parser.add_argument("--seed", type=int, help="random seed for repeatable failures")
    parser.add_argument("--reference-dir", type=Path, help="the reference lists it serves (default: the shipped cache)")
    secrets_help = "JSON object of kiosk id to secret; without it only the public demo kiosk is accepted"
    parser.add_argument("--kiosk-secrets", type=Path, metavar="FILE", help=secrets_help)
    hostile_help = "answer signed requests as a broken or hostile province would (kinds below)"
    parser.add_argument("--hostile", choices=[*hostile.KINDS, hostile.MIXED], metavar="KIND", help=hostile_help)
    parser.add_argument("--hostile-rate", type=float, default=1.0, help="share of signed replies spoiled (0-1)")
    parser.add_argument("--drip-ms", type=int, default=500, help="pause between the pieces of a dripped reply")
    parser.add_argument(
        "--drop-cut-chunks", action="store_true", help="keep nothing of a chunk whose connection dropped midway"
    )
    guide_help = "the county guide set it serves: a folder with guide_manifest.json and guides/ (none: no set)"
    parser.add_argument("--guide-set", default=str(SAMPLE_GUIDE_SET), metavar="DIR", help=guide_help)
    args = parser.parse_args(argv)
    if not 0 <= args.fail_rate <= 1 or not 0 <= args.hostile_rate <= 1:
        parser.error("--fail-rate and --hostile-rate must be between 0 and 1")
    if args.kiosk_secrets is None and not _loopback(args.host):
        print(f"kiosk-provincial-sim: refusing to listen on {args.host}: the demo secret is public, so anyone"
              " on the network could sign as the demo kiosk; give --kiosk-secrets FILE or listen on 127.0.0.1",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        hostility = args.hostile and hostile.Hostility(args.hostile, args.hostile_rate, args.seed, args.drip_ms)
        province = Province(args.db, _secrets(args.kiosk_secrets), args.fail_rate, args.latency_ms, args.seed,
                            args.reference_dir, hostility or None)  # fmt: skip
        province.keep_cut_chunks = not args.drop_cut_chunks
        province.guide_set = None if args.guide_set == "none" else Path(args.guide_set)
        server = make_server(args.host, args.port, province)
    except (OSError, ValueError, sqlite3.Error) as error:
        print(f"kiosk-provincial-sim: cannot start: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill stops it cleanly, as Ctrl-C does
    mode = f" (hostile: {args.hostile})" if args.hostile else ""
    try:
        print(f"kiosk-provincial-sim: listening on http://{args.host}:{server.server_address[1]}{mode}", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
