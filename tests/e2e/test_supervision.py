"""The kiosk under a service manager: READY once painted, then watchdog pings from its event loop."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def _messages(sock, seconds):
    got = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            got.append(sock.recv(256).decode())
        except TimeoutError:
            break
    return got


def test_ready_then_watchdog_pings_that_stop_while_the_process_is_frozen(tmp_path):
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=path, WATCHDOG_USEC="200000")
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "run"], env=env, stderr=subprocess.DEVNULL)
    try:
        sock.settimeout(30)
        assert sock.recv(256) == b"READY=1"
        _messages(sock, 1.0)  # start-up work settles
        assert _messages(sock, 3.0).count("WATCHDOG=1") >= 5  # every 100 ms when idle; a loaded machine is slower
        kiosk.send_signal(signal.SIGSTOP)
        _messages(sock, 0.2)  # anything already in flight
        assert _messages(sock, 0.6) == []  # frozen: silence, so systemd would restart it
        kiosk.send_signal(signal.SIGCONT)
        assert "WATCHDOG=1" in _messages(sock, 1.0)
    finally:
        kiosk.send_signal(signal.SIGCONT)
        kiosk.terminate()
        kiosk.wait(30)
        sock.close()
