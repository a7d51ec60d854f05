"""Durable enqueue and dequeue+ack rates of the outbox against persist-queue's SQLiteAckQueue.

    python bench/queue.py [--items 2000] [--rounds 7]

Both run in this process on the same disk, both durable (every enqueue committed before it
returns; ours is WAL with synchronous=FULL and AES-GCM on every payload). Dequeue+ack is shown
per item for both, and for the outbox also in the batches the relay really uses. Enqueues
take turns a hundred at a time and rounds repeat, since fsync times drift; medians compared.
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

PAYLOAD = {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000", "note": "村口" * 20}


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def interleaved_enqueue(folder: Path, items: int, chunk: int = 100) -> tuple[float, float]:
    """Durable enqueue rates, the two queues taking turns a chunk at a time so that drift in the
    disk's fsync time falls on both alike."""
    store = open_store(folder / "outbox")
    queue = SQLiteAckQueue(str(folder / "pq"), auto_commit=True, multithreading=False)
    spent = {"outbox": 0.0, "pq": 0.0}
    for _ in range(items // chunk):
        start = time.perf_counter()
        for _ in range(chunk):
            store.outbox.enqueue("subsidy", PAYLOAD)
        spent["outbox"] += time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(chunk):
            queue.put(PAYLOAD)
        spent["pq"] += time.perf_counter() - start
    store.close()
    done = items // chunk * chunk
    return rate(done, spent["outbox"]), rate(done, spent["pq"])


def outbox_drain(folder: Path, items: int, batch: int) -> float:
    store = open_store(folder)
    for _ in range(items):
        store.outbox.enqueue("subsidy", PAYLOAD)
    start = time.perf_counter()
    while claimed := store.outbox.claim_due(batch):
        store.outbox.settle([Outcome(item.id, "accepted", receipt="R") for item in claimed])
    drained = rate(items, time.perf_counter() - start)
    store.close()
    return drained


def persist_queue_drain(folder: Path, items: int) -> float:
    queue = SQLiteAckQueue(str(folder), auto_commit=True, multithreading=False)
    for _ in range(items):
        queue.put(PAYLOAD)
    start = time.perf_counter()
    for _ in range(items):
        queue.ack(queue.get(block=False))
    return rate(items, time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    runs: dict[str, list[float]] = {"in": [], "pq_in": [], "pq_out": [], "one": [], "batch": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            base = Path(tmp) / str(n)
            base.mkdir()
            ours, theirs = interleaved_enqueue(base / "enqueue", args.items)
            runs["in"].append(ours)
            runs["pq_in"].append(theirs)
            runs["pq_out"].append(persist_queue_drain(base / "pq", args.items))
            runs["one"].append(outbox_drain(base / "one", args.items, 1))
            runs["batch"].append(outbox_drain(base / "batch", args.items, 100))
    ours_in, pq_in, pq_out, ours_one, ours_batch = (
        statistics.median(runs[k]) for k in ("in", "pq_in", "pq_out", "one", "batch")
    )
    print(f"{args.items} items, durable, median of {args.rounds} rounds (enqueues take turns 100 at a time)")
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
