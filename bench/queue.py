"""Durable enqueue and dequeue+ack rates of the outbox against persist-queue's SQLiteAckQueue.

    python bench/queue.py [--items 2000] [--rounds 3]

Both run in this process on the same disk, both durable (every enqueue committed before it
returns; ours is WAL with synchronous=FULL and AES-GCM on every payload). Dequeue+ack is shown
per item for both, and for the outbox also in the batches the relay really uses. The two
alternate for several rounds and the medians are compared, since fsync times drift.
Target (issue 3): ≥ 1× persist-queue's rates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from persistqueue import SQLiteAckQueue

from kiosk.store.outbox import Outcome
from kiosk.store.store import open_store

PAYLOAD = {"subsidy_type": "farm_machinery", "area_mu": 12.5, "phone": "13800138000", "note": "村口" * 20}


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bench_outbox(folder: Path, items: int, batch: int) -> tuple[float, float]:
    store = open_store(folder)
    outbox = store.outbox
    start = time.perf_counter()
    for _ in range(items):
        outbox.enqueue("subsidy", PAYLOAD)
    enqueue = rate(items, time.perf_counter() - start)
    start = time.perf_counter()
    while claimed := outbox.claim_due(batch):
        outbox.settle([Outcome(item.id, "accepted", receipt="R") for item in claimed])
    drain = rate(items, time.perf_counter() - start)
    store.close()
    return enqueue, drain


def bench_persist_queue(folder: Path, items: int) -> tuple[float, float]:
    queue = SQLiteAckQueue(str(folder), auto_commit=True, multithreading=False)
    start = time.perf_counter()
    for _ in range(items):
        queue.put(PAYLOAD)
    enqueue = rate(items, time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(items):
        queue.ack(queue.get(block=False))
    drain = rate(items, time.perf_counter() - start)
    return enqueue, drain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, float]]] = {"pq": [], "one": [], "batch": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            base = Path(tmp) / str(n)
            runs["pq"].append(bench_persist_queue(base / "pq", args.items))
            runs["one"].append(bench_outbox(base / "one", args.items, 1))
            runs["batch"].append(bench_outbox(base / "batch", args.items, 100))
    (pq_in, pq_out), (ours_in, ours_one), (_, ours_batch) = (
        (statistics.median(r[0] for r in runs[k]), statistics.median(r[1] for r in runs[k]))
        for k in ("pq", "one", "batch")
    )
    print(f"{args.items} items, durable, median of {args.rounds} alternating rounds")
    print(f"enqueue        outbox {ours_in:8.0f}/s   persist-queue {pq_in:8.0f}/s   ratio {ours_in / pq_in:.2f}x")
    print(
        f"dequeue+ack    outbox {ours_one:8.0f}/s   persist-queue {pq_out:8.0f}/s   ratio {ours_one / pq_out:.2f}x  (one at a time)"
    )
    print(
        f"dequeue+ack    outbox {ours_batch:8.0f}/s   (batches of 100, as the relay sends)   ratio {ours_batch / pq_out:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
