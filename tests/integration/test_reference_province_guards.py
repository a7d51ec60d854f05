"""The reference province itself stands up to bad clients, and will not expose the public demo secret."""

import json
import socket

import pytest
import requests

from kiosk.sim import provincial


def test_a_negative_content_length_is_refused_at_once_without_holding_a_thread(province):
    with socket.create_connection(("127.0.0.1", province.port), timeout=5) as sock:
        sock.sendall(b"POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
        reply = sock.recv(4096)  # times out (and fails) if the server sat waiting for the body
    assert reply.startswith(b"HTTP/1.0 400") or reply.startswith(b"HTTP/1.1 400")
    assert requests.get(province.url + "/fleet", timeout=5).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1"])
def test_it_will_not_listen_beyond_loopback_with_the_demo_secret(tmp_path, capsys, host):
    assert provincial.main(["--host", host, "--port", "0", "--db", str(tmp_path / "p.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "demo secret is public" in err and "--kiosk-secrets" in err


def test_with_its_own_kiosk_secrets_the_demo_pair_is_not_accepted(tmp_path):
    secrets = tmp_path / "kiosks.json"
    secrets.write_text(json.dumps({"HN-0101": "a county secret"}), encoding="utf-8")
    assert provincial._secrets(secrets) == {"HN-0101": "a county secret"}
    secrets.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        provincial._secrets(secrets)
