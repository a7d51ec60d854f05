"""Threads share a bounded number of malloc arenas once the kiosk has limited them (glibc)."""

import ctypes
import subprocess
import sys

import pytest

THREADS_ALLOCATING = """
import ctypes, sys, threading
from kiosk.memory import limit_arenas
if sys.argv[1] == "limited":
    assert limit_arenas(2)
barrier = threading.Barrier(8)
def work():
    frames = [bytearray(900_000) for _ in range(4)]  # camera-frame sized, all threads at once
    barrier.wait()
    del frames
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL(None).malloc_stats()
"""


def _arenas(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", THREADS_ALLOCATING, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr.count("Arena ")


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "malloc_stats"), reason="not glibc: it keeps its own ways")
def test_eight_threads_allocating_frames_share_two_arenas_once_limited():
    assert _arenas("free") > 2
    assert _arenas("limited") <= 2
