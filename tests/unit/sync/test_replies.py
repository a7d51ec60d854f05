"""Checking and cleaning what the province says (kiosk/sync/replies.py)."""

import json
import subprocess
import sys

import pytest

from kiosk.sync import replies

BATCH = "/v1/submissions/batch"
ID = "01a23797-e9a8-7bfc-9746-f5d2a34ec005"


@pytest.mark.parametrize(
    ("status", "body", "why"),
    [
        (200, {"results": [{"id": ID, "status": ["accepted"]}]}, "status"),
        (200, {"results": [{"id": ID, "status": "accepted"}]}, "required"),  # accepted needs its receipt
        (200, {"results": [{"id": ID, "status": "rejected", "receipt": "R"}]}, "required"),
        (200, [], "type"),
        (401, [], "type"),
        (401, "Unauthorized", "type"),
        (401, None, "type"),
        (401, {"error": "clock_skew", "server_time": 1e200}, "maximum"),
    ],
)
def test_replies_that_do_not_fit_the_contract_are_refused_naming_the_misfit(status, body, why):
    with pytest.raises(replies.ReplyRefused, match=why):
        replies.check(BATCH, "POST", status, json.dumps(body).encode())


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"error": "x", "server_time": Infinity}',
                                  b'{"error": "x", "server_time": NaN}', b"1" * 5000, b"\xff\xfe"])  # fmt: skip
def test_unparseable_deep_or_non_finite_json_is_refused(body):
    with pytest.raises(replies.ReplyRefused):
        replies.check(BATCH, "POST", 401, body)


def test_replies_the_contract_gives_no_body_are_not_read():
    assert replies.check("/v1/results/" + ID, "GET", 404, b"<html>") is None
    assert replies.check("/v1/nowhere", "GET", 200, b"<html>") is None


def test_strings_are_cleaned_of_control_and_bidi_characters_and_bounded():
    assert replies.clean_receipt("SW\x1b[2J2026\u202e0001\x07") == "SW2J20260001"
    assert replies.clean_receipt("\x1b\x07") is None
    assert replies.clean_receipt("A" * 100) == "A" * replies.RECEIPT_MAX
    assert replies.clean_message("面积\u202e超过\x1b]0;x\x07\n500 亩") == "面积超过]0;x 500 亩"
    assert len(replies.clean_message("长" * 5000)) == replies.MESSAGE_MAX
    assert replies.clean_etag('"abc123"') == '"abc123"' and replies.clean_etag('"a\r\nSet-Cookie: x"') is None


def test_the_validator_is_not_imported_on_the_way_to_the_first_paint():
    code = (
        "import sys, kiosk.cli, kiosk.ui.window, kiosk.app.relay_runner, kiosk.app.backend, kiosk.app.status;"
        "print(sorted(m for m in ('jsonschema', 'kiosk.sync.replies', 'kiosk.sync.client') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "[]"
