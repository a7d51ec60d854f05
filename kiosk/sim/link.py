"""``kiosk-link-sim``: a village uplink on loopback, between the kiosk and the province.

A TCP proxy that passes each direction at its own rate (bytes per second), adds latency, and cuts
a connection once a number of bytes has crossed it (fixed, or random in a range, seeded). Loopback
only: it listens on and connects to loopback addresses and refuses anything else.

    kiosk-link-sim --to PORT [--port P] [--up-rate 16K] [--down-rate 64K] [--latency-ms 300]
                   [--cut-after 32K-256K] [--seed S]

How the link is modelled, so that figures measured through it mean something:
- Each direction is a serial line: a piece of at most 10 ms of link time is read only once the
  previous one has crossed, so the sender's bytes wait in its own socket, not here. The proxy's
  sockets have small kernel buffers for the same reason.
- Latency is added to each direction (a round trip gains twice that), and to a new connection
  (its handshake is one round trip).
- A cut comes once the connection has carried its budget, counting both directions: the kiosk's
  side is reset, the province's side is closed after the bytes that got through.
- Bytes are counted as they cross, so ``up_bytes`` is what the link really carried upstream.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass

PIECE_S = 0.01  # link time one piece takes: the limiter's granularity
MIN_PIECE, MAX_PIECE = 256, 64 * 1024
SOCKET_BUFFER = 4096  # the kernel doubles it; small, so nothing hides in the proxy's buffers
EOF, CUT = object(), object()


class NotLoopback(ValueError):
    pass


def loopback_host(host: str) -> str:
    """The host, if it is a loopback address (or ``localhost``); otherwise NotLoopback."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise NotLoopback(f"{host} is not a loopback address: the link emulator only runs on 127.0.0.1 or ::1")


@dataclass(frozen=True)
class LinkSpec:
    """``None`` rates are unlimited; ``cut_after`` is (low, high) bytes, equal for a fixed budget."""

    up_rate: float | None = None
    down_rate: float | None = None
    latency_s: float = 0.0
    cut_after: tuple[int, int] | None = None
    seed: int | None = None


@dataclass
class Counters:
    connections: int = 0
    open: int = 0
    cuts: int = 0
    up_bytes: int = 0
    down_bytes: int = 0

    def snapshot(self) -> Counters:
        return Counters(self.connections, self.open, self.cuts, self.up_bytes, self.down_bytes)


class _Connection:
    def __init__(self, budget: int | None):
        self.left = budget
        self.tasks: list[asyncio.Task] = []
        self.cut = asyncio.Event()


class Link:
    """The proxy, run on its own event loop in a thread (``start``/``stop``) or in the foreground."""

    def __init__(self, target_port: int, spec: LinkSpec, port: int = 0, host: str = "127.0.0.1",
                 target_host: str = "127.0.0.1"):  # fmt: skip
        self.host = loopback_host(host)
        self.target = (loopback_host(target_host), target_port)
        self.spec = spec
        self.counters = Counters()
        self._rng = random.Random(spec.seed)
        self._listener = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        _small_buffers(self._listener)  # accepted sockets inherit them
        self._listener.bind((self.host, port))
        self._listener.listen(64)
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._stop_asked = False  # stop() came before the loop was up (a SIGTERM right at start)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Link:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="link-sim", daemon=True)
        self._thread.start()
        ready.wait()
        return self

    def stop(self) -> None:
        """Also safe from a signal handler in the thread that serves (``serve_forever``)."""
        self._stop_asked = True
        if self._loop is not None and self._stopped is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join()

    def serve_forever(self) -> None:
        self._run(threading.Event())

    def _run(self, ready: threading.Event) -> None:
        asyncio.run(self._serve(ready))

    async def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        if self._stop_asked:
            self._stopped.set()
        accepting = asyncio.create_task(self._accept())
        ready.set()
        await self._stopped.wait()
        accepting.cancel()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._listener.close()

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        carrying: set[asyncio.Task] = set()
        while True:
            kiosk, _ = await loop.sock_accept(self._listener)
            self.counters.connections += 1
            task = asyncio.create_task(self._carry(kiosk))
            carrying.add(task)
            task.add_done_callback(carrying.discard)

    def _budget(self) -> int | None:
        if self.spec.cut_after is None:
            return None
        low, high = self.spec.cut_after
        return self._rng.randint(low, high)

    async def _carry(self, kiosk: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        kiosk.setblocking(False)
        province = socket.socket(kiosk.family)
        _small_buffers(province)
        province.setblocking(False)
        connection = _Connection(self._budget())
        self.counters.open += 1
        try:
            try:
                await loop.sock_connect(province, self.target)
            except OSError:
                return
            await asyncio.sleep(2 * self.spec.latency_s)  # the handshake's round trip
            directions = ((kiosk, province, self.spec.up_rate, "up_bytes"),
                          (province, kiosk, self.spec.down_rate, "down_bytes"))  # fmt: skip
            for source, target, rate, counter in directions:
                line: asyncio.Queue = asyncio.Queue()
                connection.tasks.append(asyncio.create_task(self._send(source, line, rate, counter, connection)))
                connection.tasks.append(asyncio.create_task(self._deliver(line, target, connection)))
            done = asyncio.gather(*connection.tasks, return_exceptions=True)
            cut = asyncio.create_task(connection.cut.wait())
            await asyncio.wait((done, cut), return_when=asyncio.FIRST_COMPLETED)
            if connection.cut.is_set():
                self.counters.cuts += 1
                for task in connection.tasks:
                    task.cancel()
                await asyncio.gather(*connection.tasks, return_exceptions=True)
                _reset(kiosk)
            cut.cancel()
        finally:
            for task in connection.tasks:
                task.cancel()
            kiosk.close()
            province.close()
            self.counters.open -= 1

    async def _send(self, source, line: asyncio.Queue, rate, counter: str, connection: _Connection) -> None:
        """Read a piece only once the previous one has crossed: the rate limit, with no hidden buffer."""
        loop = asyncio.get_running_loop()
        piece = MAX_PIECE if rate is None else int(min(MAX_PIECE, max(MIN_PIECE, rate * PIECE_S)))
        free_at = time.monotonic()
        while True:
            if connection.left is not None and connection.left <= 0:
                return  # the other direction carried the last byte: the cut is on its way
            want = piece if connection.left is None else min(piece, connection.left)
            try:
                data = await loop.sock_recv(source, want)
            except OSError:
                data = b""
            if not data:
                line.put_nowait((time.monotonic() + self.spec.latency_s, EOF))
                return
            if rate is not None:  # a token bucket one piece deep
                free_at = max(free_at, time.monotonic() - PIECE_S) + len(data) / rate
                await asyncio.sleep(free_at - time.monotonic())
            setattr(self.counters, counter, getattr(self.counters, counter) + len(data))
            line.put_nowait((time.monotonic() + self.spec.latency_s, data))
            if connection.left is not None:
                connection.left -= len(data)  # both directions at once may pass it by one piece at most
                if connection.left <= 0:
                    line.put_nowait((time.monotonic() + self.spec.latency_s, CUT))
                    return

    async def _deliver(self, line: asyncio.Queue, target, connection: _Connection) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, data = await line.get()
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if data is CUT:
                connection.cut.set()
                return
            if data is EOF:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            try:
                await loop.sock_sendall(target, data)
            except OSError:
                return


def _small_buffers(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)


def _reset(sock: socket.socket) -> None:
    """Close with a reset, as a dropped mobile link looks to the kiosk."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


SIZE = re.compile(r"^(\d+(?:\.\d+)?)([kKmM]?)$")


def parse_size(text: str) -> int:
    """``16384``, ``16K`` (KiB) or ``1M`` (MiB)."""
    match = SIZE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 16384, 16K or 1M")
    number, unit = match.groups()
    return int(float(number) * {"": 1, "k": 1024, "m": 1024**2}[unit.lower()])


def parse_cut(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    bounds = (parse_size(low), parse_size(high or low))
    if not 0 < bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: give N or LOW-HIGH with 0 < LOW <= HIGH")
    return bounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-link-sim", description="an emulated village uplink on loopback")
    parser.add_argument("--to", required=True, metavar="[HOST:]PORT", help="where the province listens (loopback)")
    parser.add_argument("--host", default="127.0.0.1", help="where to listen (loopback)")
    parser.add_argument("--port", type=int, default=0, help="where to listen (default: a free port)")
    parser.add_argument("--up-rate", type=parse_size, help="kiosk to province, bytes per second (16K = 16 KiB/s)")
    parser.add_argument("--down-rate", type=parse_size, help="province to kiosk, bytes per second")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to each direction")
    parser.add_argument("--cut-after", type=parse_cut, metavar="N|LOW-HIGH", help="bytes a connection carries")
    parser.add_argument("--seed", type=int, help="random seed for repeatable cuts")
    args = parser.parse_args(argv)
    target_host, _, target_port = args.to.rpartition(":")
    if not target_port.isdigit() or args.latency_ms < 0:
        parser.error("--to takes PORT or HOST:PORT, --latency-ms a number of milliseconds >= 0")
    if 0 in (args.up_rate, args.down_rate):
        parser.error("a rate must be above zero (leave it out for an unlimited direction)")
    spec = LinkSpec(args.up_rate, args.down_rate, args.latency_ms / 1000, args.cut_after, args.seed)
    try:
        link = Link(int(target_port), spec, args.port, args.host, target_host.strip("[]") or "127.0.0.1")
    except (NotLoopback, OSError) as error:
        print(f"kiosk-link-sim: {error}", file=sys.stderr)
        return 2 if isinstance(error, NotLoopback) else 1
    # SIGTERM stops it even when SIGINT is ignored (started with & from a script); a stop, not a
    # KeyboardInterrupt, which could land inside asyncio setting up its loop
    signal.signal(signal.SIGTERM, lambda *_: link.stop())
    started = time.monotonic()
    with contextlib.suppress(KeyboardInterrupt):
        print(f"kiosk-link-sim: listening on {link.url}, carrying to {link.target[0]}:{link.target[1]}", flush=True)
        link.serve_forever()
    c = link.counters
    print(
        f"kiosk-link-sim: {time.monotonic() - started:.0f} s, {c.connections} connections, {c.cuts} cut,"
        f" {c.up_bytes} bytes up, {c.down_bytes} bytes down",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
