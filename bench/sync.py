"""Drain 10,000 and 100,000 queued items to the reference provincial server on loopback.

    python bench/sync.py [--sizes 10000 100000] [--batch 200]

The province runs in this process's threads on a free loopback port with no injected
failures; the relay signs every batch and records every per-item answer durably. Prints
items/s for each size and the time ratio of the largest to the smallest (linear cost gives
the size ratio). Targets (issue 3): ≥ 1,000 items/s; 100k/10k time ratio ≤ 11.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

# Run from the repository root's view: bench/queue.py must not shadow the standard library's queue.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.store.store import open_store
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.province import start_province

PAYLOAD = {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}


def drain(size: int, batch: int, folder: Path) -> float:
    province = start_province(folder / "province.db")
    store = open_store(folder / "kiosk")
    try:
        for _ in range(size):
            store.outbox.enqueue("subsidy", PAYLOAD)
        config = province.config(batch_size=batch, timeout_s=30)
        relay = Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(1))
        start = time.perf_counter()
        report = relay.run_once()
        elapsed = time.perf_counter() - start
        if report.accepted != size:
            raise SystemExit(f"only {report.accepted} of {size} accepted: {report.as_dict()}")
        return elapsed
    finally:
        store.close()
        province.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    times = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            times[size] = drain(size, args.batch, Path(tmp))
        print(f"{size:>7} items  {times[size]:7.2f} s  {size / times[size]:7.0f} items/s (target >= 1000)", flush=True)
    smallest, largest = min(times), max(times)
    if largest != smallest:
        print(
            f"time ratio {largest}/{smallest}: {times[largest] / times[smallest]:.2f} (size ratio {largest / smallest:.0f}, target <= 11)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
