"""Kill -9 the syncing process at random moments: nothing is lost, nothing is recorded twice."""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from kiosk.logs import LOG_FILE
from kiosk.store.store import open_store

pytestmark = pytest.mark.slow

KILLS = 50
ITEMS = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def province_process(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk.sim.provincial",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "province.db"),
            "--fail-rate",
            "0.3",
            "--latency-ms",
            "40",
            "--seed",
            "42",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert "listening" in process.stdout.readline()
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


def _starts(log_file) -> int:
    return log_file.read_text().count("relay started") if log_file.exists() else 0


def _wait_until_relaying(relay, log_file, started: int) -> None:
    """However slow the machine is to start Python, the kill must land while the relay works."""
    deadline = time.monotonic() + 60
    while _starts(log_file) == started:
        assert relay.poll() is None, f"the relay exited on its own: {relay.stderr.read()}"
        assert time.monotonic() < deadline, "the relay did not start within a minute"
        time.sleep(0.02)


def test_killing_the_relay_fifty_times_loses_nothing_and_duplicates_nothing(kiosk_data_dir, province_process):
    store = open_store(kiosk_data_dir)
    ids = {store.outbox.enqueue("guides", {"n": n}).id for n in range(ITEMS)}
    store.close()
    env = dict(
        os.environ,
        KIOSK_PROVINCIAL_URL=province_process,
        KIOSK_SYNC_BATCH_SIZE="3",
        KIOSK_SYNC_BACKOFF_BASE="0.01",
        KIOSK_SYNC_BACKOFF_CAP="0.05",
        KIOSK_SYNC_PROBE_INTERVAL="0.05",
        KIOSK_SYNC_TIMEOUT="2",
    )
    rng = random.Random(2026)
    log_file = kiosk_data_dir / "logs" / LOG_FILE
    for _ in range(KILLS):
        started = _starts(log_file)
        relay = subprocess.Popen([sys.executable, "-m", "kiosk", "sync"], env=env, stderr=subprocess.PIPE, text=True)
        _wait_until_relaying(relay, log_file, started)
        time.sleep(rng.uniform(0.0, 0.3))  # somewhere in its claims, deliveries and acknowledgements
        relay.send_signal(signal.SIGKILL)
        relay.wait()
        relay.stderr.close()
    store = open_store(kiosk_data_dir)
    assert store.outbox.stats()["accepted"] > 0, "the killed relays did run and send"
    store.close()
    for _ in range(100):
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "sync", "--once", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        store = open_store(kiosk_data_dir)
        stats = store.outbox.stats()
        store.close()
        if stats["accepted"] == ITEMS:
            break
        time.sleep(0.06)
    assert stats["accepted"] == ITEMS

    with urllib.request.urlopen(f"{province_process}/v1/_sim/submissions") as reply:
        seen = json.load(reply)
    at_province = {s["id"]: s["receipt"] for s in seen["submissions"]}
    assert len(seen["submissions"]) == ITEMS
    assert set(at_province) == ids
    store = open_store(kiosk_data_dir)
    for item in store.outbox.items(limit=ITEMS):
        assert item.provincial_receipt == at_province[item.id]
    store.close()
    assert seen["duplicate_deliveries"] > 0, "no kill or drop ever landed mid-batch: the test proved nothing"
