"""A day's backlog over emulated village uplinks: time to deliver against the physical limit, and overhead.

    python bench/link.py [--links cut16 clean16 clean100] [--texts 30]

The backlog: 30 requests, six of them with a photo the kiosk's real size (two pension
certifications' face evidence at 480 px, four produce photos at 1024 px, 250-550 KiB). The
reference province runs in this process's threads; the relay, as the kiosk runs it (default
settings, a fresh data directory, so the link estimate starts from nothing), talks to it
through kiosk-link-sim with 300 ms added each way and the downlink four times the uplink:

    cut16     16 KiB/s up, every connection cut after a random 32-256 KiB
    clean16   16 KiB/s up, no cuts
    clean100  100 KiB/s up, no cuts

For each: the time until the province holds everything, against the physical limit (useful
bytes, the photos and the requests' JSON, divided by the uplink rate); and the bytes the link
carried upstream against the useful bytes. Targets (issue 12): within 1.5x of the limit on
the clean links and 2.5x with cuts; upstream at most 1.3x the useful bytes. Takes about
seven minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.config import Config
from kiosk.sim.link import Link, LinkSpec
from kiosk.store.store import open_store
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.backlog import KIB, delivered, queue_backlog
from tests.helpers.province import start_province

LINKS = {
    "cut16": (LinkSpec(16 * KIB, 64 * KIB, 0.3, (32 * KIB, 256 * KIB), seed=12), 2.5),
    "clean16": (LinkSpec(16 * KIB, 64 * KIB, 0.3), 1.5),
    "clean100": (LinkSpec(100 * KIB, 400 * KIB, 0.3), 1.5),
}
PRODUCE_KIB, EVIDENCE_KIB = [250, 350, 450, 550], [60, 60]


def deliver(name: str, texts: int, folder: Path) -> None:
    spec, target = LINKS[name]
    province = start_province(folder / "province.db")
    link = Link(province.port, spec).start()
    store = open_store(folder / "kiosk")
    stop = threading.Event()
    try:
        backlog = queue_backlog(store.outbox, texts, PRODUCE_KIB, EVIDENCE_KIB)
        config = Config(provincial_url=link.url)
        relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings)
        worker = threading.Thread(target=relay.run_forever, args=(stop,))
        start = time.monotonic()
        worker.start()
        while not delivered(province, backlog):
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        stop.set()
        relay.wake()
        worker.join()
    finally:
        store.close()
        link.stop()
        province.stop()
    limit = backlog.useful_bytes / spec.up_rate
    counters = link.counters
    overhead = counters.up_bytes / backlog.useful_bytes
    print(
        f"{name:9s} {backlog.useful_bytes / KIB:6.0f} KiB useful  delivered in {elapsed:6.1f} s"
        f"  limit {limit:6.1f} s  ratio {elapsed / limit:4.2f} (target <= {target})"
        f"  upstream {counters.up_bytes / KIB:6.0f} KiB = {overhead:4.2f}x useful (target <= 1.3)"
        f"  {counters.connections} connections, {counters.cuts} cut",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", nargs="+", choices=list(LINKS), default=list(LINKS))
    parser.add_argument("--texts", type=int, default=30)
    args = parser.parse_args()
    for name in args.links:
        with tempfile.TemporaryDirectory() as tmp:
            deliver(name, args.texts, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
