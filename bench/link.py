"""A day's backlog over emulated village uplinks, and a county guide set down them: time against the physical limit.

    python bench/link.py [--links cut16 clean16 clean100 guides-cut16 guides-clean16] [--texts 30]

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
the clean links and 2.5x with cuts; upstream at most 1.3x the useful bytes.

The guide links download a county guide set (the sample set and the shipped "how to do it here"
guide for 社保查询: pictures and a narrated video, about 790 KiB) through the same relay:

    guides-cut16    16 KiB/s down, every connection cut after a random 32-128 KiB
    guides-clean16  16 KiB/s down, no cuts

timed from the manifest's arrival to the set swapped in, against the useful bytes divided by the
downlink rate, with the bytes the link carried downstream against the useful bytes (targets as
for photos: 1.5x clean, 2.5x with cuts, 1.3x the bytes). Takes about nine minutes in all.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.config import Config
from kiosk.paths import offline_cache_dir
from kiosk.services.guide_sets import write_manifest
from kiosk.services.reference import ReferenceFiles
from kiosk.sim.link import Link, LinkSpec
from kiosk.sim.provincial import SAMPLE_GUIDE_SET
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
GUIDE_LINKS = {
    "guides-cut16": (LinkSpec(64 * KIB, 16 * KIB, 0.3, (32 * KIB, 128 * KIB), seed=12), 2.5),
    "guides-clean16": (LinkSpec(64 * KIB, 16 * KIB, 0.3), 1.5),
}
PRODUCE_KIB, EVIDENCE_KIB = [250, 350, 450, 550], [60, 60]
SHIPPED_GUIDE = "social_security_here"


def relay_until(relay: Relay, done) -> float:
    """Seconds the relay, running as the kiosk runs it, takes until ``done()``."""
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop,))
    start = time.monotonic()
    worker.start()
    while not done():
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    stop.set()
    relay.wake()
    worker.join()
    return elapsed


def deliver(name: str, texts: int, folder: Path) -> None:
    spec, target = LINKS[name]
    province = start_province(folder / "province.db")
    link = Link(province.port, spec).start()
    store = open_store(folder / "kiosk")
    try:
        backlog = queue_backlog(store.outbox, texts, PRODUCE_KIB, EVIDENCE_KIB)
        config = Config(provincial_url=link.url)
        relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings)
        elapsed = relay_until(relay, lambda: delivered(province, backlog))
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


def bench_guide_set(folder: Path) -> Path:
    """The sample county set with one of the shipped generated guides added: pictures and a longer video."""
    county = folder / "county"
    shutil.copytree(SAMPLE_GUIDE_SET, county)
    shutil.copytree(offline_cache_dir() / "guides" / SHIPPED_GUIDE, county / "guides" / SHIPPED_GUIDE)
    shipped = json.loads((offline_cache_dir() / "guides.json").read_text(encoding="utf-8"))["items"]
    listed = json.loads((county / "guides.json").read_text(encoding="utf-8"))
    listed["items"] += [{k: v for k, v in g.items() if k != "service"} for g in shipped if g["id"] == SHIPPED_GUIDE]
    (county / "guides.json").write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
    write_manifest(county, "测速县办事指南", "1")
    return county


def download_guides(name: str, folder: Path) -> None:
    spec, target = GUIDE_LINKS[name]
    province = start_province(folder / "province.db")
    province.province.guide_set = bench_guide_set(folder)
    link = Link(province.port, spec).start()
    store = open_store(folder / "kiosk")
    references = ReferenceFiles(folder / "kiosk" / "reference", offline_cache_dir())
    try:
        config = Config(provincial_url=link.url)
        relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings,
                      references=references, guide_media=references.guide_sets)  # fmt: skip
        relay.refresh_references()
        manifest = references.guide_sets.downloading()
        down_before = link.counters.down_bytes
        elapsed = relay_until(relay, lambda: references.guide_sets.in_use() is not None)
    finally:
        store.close()
        link.stop()
        province.stop()
    useful = manifest.total_bytes
    limit = useful / spec.down_rate
    down = link.counters.down_bytes - down_before
    print(
        f"{name:14s} {useful / KIB:6.0f} KiB of guide media in {elapsed:6.1f} s  limit {limit:6.1f} s"
        f"  ratio {elapsed / limit:4.2f} (target <= {target})"
        f"  downstream {down / KIB:6.0f} KiB = {down / useful:4.2f}x useful (target <= 1.3)"
        f"  {link.counters.connections} connections, {link.counters.cuts} cut",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [*LINKS, *GUIDE_LINKS]
    parser.add_argument("--links", nargs="+", choices=names, default=names)
    parser.add_argument("--texts", type=int, default=30)
    args = parser.parse_args()
    for name in args.links:
        with tempfile.TemporaryDirectory() as tmp:
            if name in GUIDE_LINKS:
                download_guides(name, Path(tmp))
            else:
                deliver(name, args.texts, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
