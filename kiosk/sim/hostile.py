"""The reference province's hostile mode: what a buggy release, or an attacker on the line, sends.

``kiosk-provincial-sim --hostile KIND`` answers a share (``--hostile-rate``) of signed requests
with one of these instead of the honest reply; the health probe and the ``/v1/_sim`` views stay
honest, so a test can see what the province really holds. Some kinds record a batch first and
then answer badly, as a province that committed and then failed would: the kiosk must resend,
and the province must still hold each request once.
"""

from __future__ import annotations

import json
import random
import threading
import time
import zlib
from collections import Counter, deque
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

KINDS = {
    "wrong-type": "replies of the wrong JSON type: a status that is a list, a 401 whose body is [] or null",
    "nested": "a body nested 100,000 levels deep",
    "huge": "a 3 MiB body",
    "gzip-bomb": "a small gzip body that inflates to 256 MiB",
    "drip": "an honest reply sent a few bytes at a time (--drip-ms between pieces)",
    "redirect": "a 307 to another address, which would take the signed request with it",
    "stuck-offset": "attachment progress that never moves",
    "infinite-time": "a 401 clock_skew whose server_time is Infinity, NaN or 1e999",
    "control-chars": "receipts, messages and results carrying ESC, BEL and bidirectional overrides",
}
MIXED = "mixed"
BATCH = "/v1/submissions/batch"
CONTROL = "\x1b\x07\x9b\u202e\u2066\x00"
TERMINAL_TRICK = "\x1b]0;pwned\x07\x1b[2J\u202e"
REDIRECT_TO = "http://127.0.0.1:9/v1/stolen"


@cache
def _bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(256)) + packer.flush()


def _ids(body: bytes) -> list[str]:
    try:
        items = json.loads(body)["items"]
        return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    except (ValueError, KeyError, TypeError):
        return []


def _sprinkle(text: str, rng: random.Random) -> str:
    """``text`` with control and bidi characters between its own: cleaned, it is ``text`` again."""
    out = []
    for ch in text:
        out.append(ch)
        if rng.random() < 0.4:
            out.append(rng.choice(CONTROL))
    return "".join(out)


class Hostility:
    """Which replies to spoil and how; ``served`` counts the spoiled ones by kind (thread-safe)."""

    def __init__(self, kind: str, rate: float = 1.0, seed: int | None = None, drip_ms: int = 500) -> None:
        if kind != MIXED and kind not in KINDS:
            raise ValueError(f"unknown hostile kind {kind!r}")
        self.kinds = tuple(KINDS) if kind == MIXED else (kind,)
        self.rate = rate
        self.drip_s = drip_ms / 1000
        self.served: Counter[str] = Counter()
        self.enabled = True
        self.redirect_to = REDIRECT_TO
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._scripted: deque[Callable[[list[str]], tuple[int, bytes]]] = deque()

    def script(self, reply: Callable[[list[str]], tuple[int, bytes]]) -> None:
        """Answer the next signed request with ``reply(ids of the batch, if it is one)``: a test's own bodies."""
        with self._lock:
            self._scripted.append(reply)

    def pick(self, method: str, path: str) -> str | None:
        with self._lock:
            if self._scripted:
                return "scripted"
            if not self.enabled or self._rng.random() >= self.rate:
                return None
            kinds = [k for k in self.kinds if k != "stuck-offset" or path.startswith("/v1/attachments/")]
            return self._rng.choice(kinds) if kinds else None

    def respond(self, handler, kind: str, method: str, path: str, kiosk: str, body: bytes) -> None:
        """Send the spoiled reply for ``kind`` through ``handler`` (the simulator's request handler)."""
        with self._lock:
            self.served[kind] += 1
            rng = random.Random(self._rng.random())
            scripted = self._scripted.popleft() if kind == "scripted" else None
        if scripted is not None:
            handler._send(*scripted(_ids(body) if path == BATCH else []), {})
        elif kind == "wrong-type":
            self._wrong_type(handler, rng, method, path, kiosk, body)
        elif kind == "nested":
            depth = 100_000
            nested = rng.choice([b"[" * depth + b"]" * depth, b'{"results":' * depth + b"[]" + b"}" * depth])
            handler._send(rng.choice([200, 401]), nested, {})
        elif kind == "huge":
            pad = json.dumps({"results": [], "pad": "x" * (3 * 1024 * 1024)}).encode()
            handler._send(200, pad, {})
        elif kind == "gzip-bomb":
            handler._send(200, _bomb(), {"Content-Encoding": "gzip"})
        elif kind == "drip":
            status, reply = handler.honest(method, path, kiosk, body)
            self._drip(handler, status, reply)
        elif kind == "redirect":
            handler._send(307, b"", {"Location": self.redirect_to})
        elif kind == "stuck-offset":
            handler._send(200, json.dumps({"received": 0, "complete": False}).encode(), {})
        elif kind == "infinite-time":
            when = rng.choice([b"Infinity", b"-Infinity", b"NaN", b"1e999", b"-1e999"])
            handler._send(401, b'{"error": "clock_skew", "server_time": ' + when + b"}", {})
        else:
            status, reply = handler.honest(method, path, kiosk, body)
            handler._send(status, self._with_control_chars(reply, rng), {})

    def _wrong_type(self, handler, rng, method, path, kiosk, body) -> None:
        ids = _ids(body) if path == BATCH else []
        if ids and rng.random() < 0.5:
            handler.province.submit(kiosk, json.loads(body)["items"])  # committed, then answered badly
        first = ids[0] if ids else "00000000-0000-7000-8000-000000000000"
        bodies = [
            (200, {"results": [{"id": first, "status": ["accepted"], "receipt": "SW1"}]}),
            (200, {"results": {"id": first, "status": "accepted"}}),
            (200, {"results": [{"id": first, "status": "accepted", "receipt": 7}]}),
            (200, {"results": [{"id": first, "status": "rejected", "reason": {"code": 1}}]}),
            (200, {"status": "ready", "result": []}),
            (200, {"received": "12", "complete": "yes"}),
            (200, {"received": -5}),
            (200, []),
            (200, None),
            (401, []),
            (401, "Unauthorized"),
            (401, None),
            (401, {"error": ["clock_skew"], "server_time": "soon"}),
        ]
        status, data = rng.choice(bodies)
        handler._send(status, json.dumps(data).encode(), {})

    def _drip(self, handler, status: int, reply: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        step = max(1, len(reply) // 8)
        for start in range(0, len(reply), step):
            handler.wfile.write(reply[start : start + step])
            handler.wfile.flush()
            time.sleep(self.drip_s)

    def _with_control_chars(self, reply: bytes, rng: random.Random) -> bytes:
        try:
            data = json.loads(reply)
        except ValueError:
            return reply
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            for entry in data["results"]:
                if "receipt" in entry:
                    entry["receipt"] = _sprinkle(entry["receipt"], rng)
                if "message" in entry:
                    entry["message"] = TERMINAL_TRICK + entry["message"]
        if isinstance(data, dict) and isinstance(data.get("result"), dict):
            result = data["result"]
            result["title"] = TERMINAL_TRICK + str(result.get("title", ""))
            result["lines"] = [_sprinkle(str(line), rng) for line in result.get("lines", [])]
        return json.dumps(data, ensure_ascii=False).encode()


def describe() -> str:
    """The kinds, one a line, for --help."""
    return "\n".join(
        f"  {kind:14s} {meaning}" for kind, meaning in {**KINDS, MIXED: "each of the above by turn"}.items()
    )
