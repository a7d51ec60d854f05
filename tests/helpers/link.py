"""The emulated village uplink (kiosk-link-sim) as a pytest fixture: ``emulated_link(province, ...)``."""

from __future__ import annotations

import ctypes
import signal
import time

import pytest

from kiosk.sim.link import Link, LinkSpec

KIB = 1024


@pytest.fixture
def emulated_link():
    """Start links in front of running provinces; each is stopped after the test."""
    links: list[Link] = []

    def start(province, up_rate=None, down_rate=None, latency_ms=0.0, cut_after=None, seed=1) -> Link:
        link = Link(province.port, LinkSpec(up_rate, down_rate, latency_ms / 1000, cut_after, seed)).start()
        links.append(link)
        return link

    yield start
    for link in links:
        link.stop()


def dies_with_the_test() -> None:
    """``preexec_fn`` for a child process: SIGKILL when the test process goes, even if a time-out ends it."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def until(condition, limit_s: float, why: str, relay=None) -> None:
    """Wait for ``condition``, failing with ``why`` after ``limit_s`` or when the ``relay`` process has died."""
    deadline = time.monotonic() + limit_s  # only keeps a broken build from hanging: not a speed claim
    while not condition():
        assert relay is None or relay.poll() is None, relay and relay.stderr.read()
        assert time.monotonic() < deadline, why
        time.sleep(0.05)
