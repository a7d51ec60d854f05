"""The reference provincial server, run in a thread on loopback for a test."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.config import DEMO_KIOSK_ID, DEMO_SECRET, Config, SyncConfig
from kiosk.sim.provincial import Handler, Province, make_server

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class RunningProvince:
    province: Province
    port: int
    db_path: Path
    handler: type[Handler] = Handler
    _server: object = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, **sync) -> Config:
        defaults = {"backoff_base_s": 0.01, "backoff_cap_s": 0.05, "probe_interval_s": 0.05, "timeout_s": 3.0}
        return Config(provincial_url=self.url, sync=SyncConfig(**(defaults | sync)))

    def start(self) -> RunningProvince:
        self._server = make_server("127.0.0.1", self.port, self.province, self.handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def start_province(
    db_path: Path,
    fail_rate: float = 0.0,
    latency_ms: int = 0,
    seed: int = 7,
    port: int = 0,
    hostility=None,
    handler=Handler,
):
    """``handler``: the sim's, or a test's subclass that misbehaves on purpose."""
    province = Province(db_path, {DEMO_KIOSK_ID: DEMO_SECRET}, fail_rate, latency_ms, seed, hostility=hostility)
    return RunningProvince(province, port, db_path, handler).start()
