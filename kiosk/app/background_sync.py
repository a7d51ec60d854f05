"""The relay on its own thread while the UI runs: the GUI thread only ever reads a status snapshot."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kiosk.app.status import KioskStatus
from kiosk.config import load_config
from kiosk.errors import KioskError
from kiosk.store.store import open_store
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay

log = logging.getLogger(__name__)


class BackgroundSync:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._relay: Relay | None = None
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._relay is not None:
            self._relay.wake()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wake(self) -> None:
        if self._relay is not None:
            self._relay.wake()

    def status(self) -> KioskStatus:
        if self._relay is None:
            return KioskStatus()
        snapshot = self._relay.status
        return KioskStatus(snapshot.network, int(snapshot.counts.get("queued", 0) + snapshot.counts.get("sending", 0)))

    def _run(self) -> None:
        try:
            store = open_store(self._data_dir)
            config = load_config()
        except KioskError as error:
            log.error("sync not started: %s", error.message)
            return
        for notice in store.notices:
            log.warning("%s", notice)
        client = ProvincialClient(config)
        self._relay = Relay(store.outbox, client, config.sync)
        try:
            self._relay.run_forever(self._stop)
        finally:
            client.close()
            store.close()
