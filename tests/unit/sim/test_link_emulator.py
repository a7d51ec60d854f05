"""kiosk-link-sim: the emulated uplink carries bytes intact, at its rate, with its latency, and cuts where told."""

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from kiosk.sim.link import Link, LinkSpec, NotLoopback, main, parse_cut, parse_size

KIB = 1024


class Sink:
    """A loopback server that keeps what each connection brings and answers ``ok`` once it ends."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._keep, args=(connection,), daemon=True).start()

    def _keep(self, connection):
        pieces = []
        with connection:
            while piece := connection.recv(65536):
                pieces.append(piece)
            self.received.append(b"".join(pieces))
            with contextlib.suppress(OSError):
                connection.sendall(b"ok")

    def close(self):
        self.server.close()


@pytest.fixture
def sink():
    running = Sink()
    yield running
    running.close()


def _send_through(link, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", link.port)) as kiosk:
        kiosk.sendall(data)
        kiosk.shutdown(socket.SHUT_WR)
        return kiosk.recv(10)


def _wait(condition):
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_bytes_arrive_intact_no_faster_than_the_rate_and_are_counted(sink):
    data = os.urandom(48 * KIB)
    link = Link(sink.port, LinkSpec(up_rate=64 * KIB, down_rate=64 * KIB)).start()
    try:
        started = time.monotonic()
        assert _send_through(link, data) == b"ok"
        elapsed = time.monotonic() - started
    finally:
        link.stop()
    assert hashlib.sha256(sink.received[0]).digest() == hashlib.sha256(data).digest()
    assert elapsed >= 0.74  # 48 KiB at 64 KiB/s: the sender's kernel buffers do not get it there sooner
    assert (link.counters.up_bytes, link.counters.down_bytes, link.counters.cuts) == (48 * KIB, 2, 0)


def test_latency_is_added_to_each_direction_and_to_the_handshake(sink):
    link = Link(sink.port, LinkSpec(latency_s=0.1)).start()
    try:
        started = time.monotonic()
        assert _send_through(link, b"ping") == b"ok"
        elapsed = time.monotonic() - started
    finally:
        link.stop()
    assert elapsed >= 0.4  # handshake round trip, then there and back


def test_a_fixed_cut_passes_exactly_that_many_bytes_then_resets_the_kiosk(sink):
    link = Link(sink.port, LinkSpec(cut_after=(10_000, 10_000))).start()
    try:
        with socket.create_connection(("127.0.0.1", link.port)) as kiosk:
            kiosk.sendall(os.urandom(50_000))
            with pytest.raises(ConnectionError):
                while kiosk.recv(10):
                    pass
        _wait(lambda: sink.received)
    finally:
        link.stop()
    assert len(sink.received[0]) == 10_000
    assert (link.counters.cuts, link.counters.up_bytes, link.counters.open) == (1, 10_000, 0)


def test_random_cuts_fall_in_the_range_and_repeat_with_the_seed(sink):
    def budgets(seed):
        sink.received.clear()
        link = Link(sink.port, LinkSpec(cut_after=(4_000, 9_000), seed=seed)).start()
        try:
            for _ in range(6):
                with socket.create_connection(("127.0.0.1", link.port)) as kiosk:
                    kiosk.sendall(os.urandom(20_000))
                    with contextlib.suppress(ConnectionError):
                        kiosk.recv(10)
            _wait(lambda: len(sink.received) == 6)
        finally:
            link.stop()
        return sorted(len(r) for r in sink.received)

    first = budgets(3)
    assert all(4_000 <= n <= 9_000 for n in first) and len(set(first)) > 1
    assert budgets(3) == first


def test_only_loopback_is_accepted(sink, capsys):
    with pytest.raises(NotLoopback):
        Link(sink.port, LinkSpec(), host="0.0.0.0")
    with pytest.raises(NotLoopback):
        Link(sink.port, LinkSpec(), target_host="192.168.1.5")
    assert main(["--to", "10.0.0.1:8780"]) == 2
    assert "not a loopback address" in capsys.readouterr().err


def test_sizes_and_cut_ranges_read_as_a_technician_writes_them():
    assert (parse_size("16K"), parse_size("1M"), parse_size("1500")) == (16 * KIB, KIB * KIB, 1500)
    assert parse_cut("32K-256K") == (32 * KIB, 256 * KIB) and parse_cut("50000") == (50_000, 50_000)


def test_the_console_tool_carries_a_province_and_reports_what_it_carried(province):
    tool = subprocess.Popen(
        [sys.executable, "-m", "kiosk.sim.link", "--to", str(province.port), "--up-rate", "64K", "--latency-ms", "20"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = tool.stdout.readline()
        assert line.startswith("kiosk-link-sim: listening on http://127.0.0.1:")
        url = line.split("listening on ", 1)[1].split(",", 1)[0]
        assert requests.get(f"{url}/v1/health", timeout=5).json()["status"] == "ok"
    finally:
        tool.terminate()
        summary = tool.communicate(timeout=10)[0]
    assert tool.returncode == 0 and "1 connections, 0 cut" in summary
