"""Whatever the province answers, the kiosk neither crashes nor loses an item."""

import contextlib
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import Config, SyncConfig
from kiosk.sync.client import ProvinceError, ProvinceUnreachable, ProvincialClient, parse_batch_reply
from kiosk.sync.relay import Relay

IDS = [str(uuid.UUID(int=n)) for n in range(1, 4)]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)
result_like = st.fixed_dictionaries(
    {
        "id": st.sampled_from([*IDS, "other", 7]),
        "status": st.sampled_from(["accepted", "duplicate", "rejected", "retry", "ok", None]),
    },
    optional={"receipt": json_values | st.text(max_size=80), "reason": json_values, "message": json_values},
)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_clean_protocol_error_or_results(body):
    with contextlib.suppress(ProvinceError):
        parse_batch_reply(body, set(IDS))


@given(
    st.dictionaries(st.text(max_size=10), json_values, max_size=4)
    | st.builds(lambda r: {"results": r}, st.lists(result_like | json_values, max_size=6))
)
def test_structured_but_hostile_replies_yield_only_well_formed_results(data):
    try:
        results = parse_batch_reply(json.dumps(data).encode(), set(IDS))
    except ProvinceError:
        return
    for item_id, result in results.items():
        assert item_id in IDS
        assert result.status in {"accepted", "duplicate", "rejected", "retry"}
        if result.status in ("accepted", "duplicate"):
            assert isinstance(result.receipt, str) and 0 < len(result.receipt) <= 64


class _Hostile(BaseHTTPRequestHandler):
    reply: bytes = b""
    status: int = 200

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(self.reply)))
        self.end_headers()
        self.wfile.write(self.reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "reply"),
    [
        (200, b"x" * (3 * 1024 * 1024)),
        (200, b"<html>gateway login</html>"),
        (200, json.dumps({"results": [{"id": "whatever", "status": "accepted", "receipt": "R"}]}).encode()),
        (200, b"[" * 100_000 + b"]" * 100_000),
        (500, b"{}"),
        (302, b""),
    ],
)
def test_hostile_province_keeps_items_queued(hostile, store, status, reply):
    _Hostile.reply, _Hostile.status = reply, status
    config = Config(provincial_url=f"http://127.0.0.1:{hostile.server_address[1]}", sync=SyncConfig(timeout_s=5))
    queued = store.outbox.enqueue("guides", {})
    report = Relay(store.outbox, ProvincialClient(config), config.sync).run_once()
    item = store.outbox.get(queued.id)
    assert item.state == "queued" and item.provincial_receipt is None
    assert report.accepted == 0


def test_nobody_listening_is_unreachable(store):
    config = Config(provincial_url="http://127.0.0.1:9", sync=SyncConfig(timeout_s=1))
    with pytest.raises(ProvinceUnreachable):
        ProvincialClient(config).submit_batch([(IDS[0], "guides", {})])
