import hashlib
import json
import os
import socket
import time
from importlib.resources import files

from openapi_spec_validator import validate

from kiosk.config import DEMO_KIOSK_ID, DEMO_SECRET
from kiosk.sync import client, replies, signing
from kiosk.sync.client import ProvincialClient


def _contract():
    return json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))


def test_contract_is_a_valid_openapi_document():
    validate(_contract())


def test_reply_statuses_the_client_accepts_are_the_contracts():
    item_result = _contract()["components"]["schemas"]["ItemResult"]
    assert set(item_result["properties"]["status"]["enum"]) == set(client.ItemStatus)


def test_a_pushed_guide_may_have_as_many_steps_as_the_kiosk_shows():
    from kiosk.services.guides import MAX_STEP_CHARS, MAX_STEPS

    guide = _contract()["components"]["schemas"]["PushedGuide"]["properties"]
    assert guide["steps"]["maxItems"] == MAX_STEPS
    assert guide["steps"]["items"]["properties"]["text"]["maxLength"] == MAX_STEP_CHARS


def test_every_contract_path_is_served_by_the_reference_province(province):
    import requests

    paths = {
        "/v1/health": 200,
        "/v1/attachments/" + "a" * 64: 401,
        "/v1/reference/products": 401,
        "/v1/results/00000000-0000-0000-0000-000000000000": 401,
        "/v1/reference/guide_manifest": 401,
        "/v1/guide-media/" + "a" * 64: 401,
    }
    assert set(_contract()["paths"]) >= {"/v1/health", "/v1/submissions/batch", "/v1/heartbeat"}
    for path, status in paths.items():
        assert requests.get(province.url + path, timeout=5).status_code == status, path
    assert requests.get(province.url + "/v1/nowhere", timeout=5).status_code == 401


def _put_chunk(province, digest: str, offset: int, total: int, announced: int, body: bytes, signed: bytes | None):
    """A PUT as raw bytes on a socket, so it can announce more than it sends and then hang up."""
    path = f"/v1/attachments/{digest}"
    signed = signing.chunk_text(offset, announced, total) if signed is None else signed
    headers = signing.headers(DEMO_KIOSK_ID, DEMO_SECRET, "PUT", path, int(time.time()), signed)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (
        f"PUT {path} HTTP/1.1\r\nHost: x\r\n{head}X-Upload-Offset: {offset}\r\nX-Upload-Total: {total}\r\n"
        f"Content-Length: {announced}\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", province.port)) as connection:
        connection.sendall(request + body)
        connection.shutdown(socket.SHUT_WR)
        reply = b""
        while piece := connection.recv(4096):
            reply += piece
    return reply


def _progress(province, digest: str) -> dict:
    return province.province.attachment_progress(digest)


def _wait_for(condition):
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_chunk_cut_short_is_kept_as_far_as_it_arrived_as_the_contract_says(province):
    data = os.urandom(30_000)
    digest = hashlib.sha256(data).hexdigest()
    reply = _put_chunk(province, digest, 0, len(data), 20_000, data[:12_000], None)
    assert reply == b""  # nobody to answer: the kiosk asks where to resume
    _wait_for(lambda: _progress(province, digest)["received"] == 12_000)
    put = _contract()["paths"]["/v1/attachments/{hash}"]["put"]
    assert "keeps the bytes that did arrive" in put["description"]
    reply = _put_chunk(province, digest, 12_000, len(data), 18_000, data[12_000:], None)
    assert reply.startswith(b"HTTP/1.1 200") and _progress(province, digest) == {"received": 30_000, "complete": True}


def test_a_chunk_must_be_signed_over_where_it_goes_not_over_its_body(province):
    data = os.urandom(5_000)
    digest = hashlib.sha256(data).hexdigest()
    assert _put_chunk(province, digest, 0, len(data), len(data), data, data).startswith(b"HTTP/1.1 401")
    wrong_place = b"attachment-chunk 100 5000 5000"
    assert _put_chunk(province, digest, 0, len(data), len(data), data, wrong_place).startswith(b"HTTP/1.1 401")
    cut_short = _put_chunk(province, digest, 0, len(data), len(data), data[:100], wrong_place)
    assert cut_short.startswith(b"HTTP/1.1 401") and _progress(province, digest)["received"] == 0
    described = _contract()["paths"]["/v1/attachments/{hash}"]["put"]["description"]
    assert (
        "`attachment-chunk OFFSET LENGTH TOTAL`" in described
        and signing.chunk_text(1, 2, 3) == b"attachment-chunk 1 2 3"
    )


def test_the_provinces_upload_replies_fit_the_contract(province):
    data = os.urandom(4_000)
    digest = hashlib.sha256(data).hexdigest()
    path = f"/v1/attachments/{digest}"
    progress = json.dumps(province.province.attachment_progress(digest)).encode()
    assert replies.check(path, "GET", 200, progress) == {"received": 0, "complete": False}
    client = ProvincialClient(province.config())  # whose replies go through the same check
    assert client.attachment_progress(digest) == 0
    assert client.put_attachment_chunk(digest, 0, len(data), data[:1_000], 5.0) == 1_000
    status, reply = province.province.attachment_chunk(digest, 1_000, len(data), data[1_000:])
    assert replies.check(path, "PUT", status, json.dumps(reply).encode()) == {"received": 4_000, "complete": True}
    assert client.attachment_progress(digest) == len(data)


def test_the_sample_county_set_fits_the_contract_and_its_files_their_checksums():
    from kiosk.sim.provincial import SAMPLE_GUIDE_SET

    body = (SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes()
    manifest = replies.check("/v1/reference/guide_manifest", "GET", 200, body)
    for entry in manifest["media"]:
        data = (SAMPLE_GUIDE_SET / "guides" / entry["file"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    assert replies.template_of("/v1/reference/guide_manifest") == "/v1/reference/guide_manifest"
    assert replies.template_of("/v1/reference/products") == "/v1/reference/{name}"
