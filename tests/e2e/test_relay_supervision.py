"""The relay service under a watchdog: READY once relaying, pings from its loop, and when it freezes
a supervisor doing what systemd does for kiosk-relay.service (WatchdogSec, Restart=always) kills
it, starts it again, and the new one delivers what was waiting."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from kiosk.store.store import open_store
from tests.helpers.province import start_province

pytestmark = pytest.mark.slow
WATCHDOG_S = 3.0


def _wait_for(sock, message, seconds):
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if sock.recv(256).decode() == message:
                return True
        except TimeoutError:
            break
    return False


def _start(env):
    return subprocess.Popen([sys.executable, "-m", "kiosk", "sync"], env=env, stderr=subprocess.DEVNULL)


def test_a_frozen_relay_goes_quiet_is_restarted_and_then_delivers(tmp_path, kiosk_data_dir):
    province = start_province(tmp_path / "province.db")
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
               KIOSK_PROVINCIAL_URL=province.url, KIOSK_SYNC_PROBE_INTERVAL="0.2")  # fmt: skip
    relay = _start(env)
    restarted = None
    store = open_store(kiosk_data_dir)
    try:
        assert _wait_for(sock, "READY=1", 30)
        assert _wait_for(sock, "WATCHDOG=1", WATCHDOG_S) and _wait_for(sock, "WATCHDOG=1", WATCHDOG_S)
        relay.send_signal(signal.SIGSTOP)  # hung, as in a system call that never returns
        _wait_for(sock, "", 0.3)  # a ping already in flight
        queued = store.outbox.enqueue("guides", {"topic": "pension"})
        assert not _wait_for(sock, "WATCHDOG=1", WATCHDOG_S)  # silence: the supervisor's cue
        relay.send_signal(signal.SIGABRT)  # systemd's WatchdogSignal, then Restart=always
        relay.send_signal(signal.SIGCONT)
        relay.wait(10)
        assert store.outbox.get(queued.id).state == "queued"  # nobody sent it while frozen
        restarted = _start(env)
        assert _wait_for(sock, "READY=1", 30)
        deadline = time.monotonic() + 20
        while store.outbox.get(queued.id).state != "accepted" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert store.outbox.get(queued.id).state == "accepted"
    finally:
        for process in (relay, restarted):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                process.wait(10)
        store.close()
        sock.close()
        province.stop()
