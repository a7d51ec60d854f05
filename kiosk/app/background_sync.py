"""The relay on its own thread while the UI runs: the GUI thread only ever reads a status snapshot."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app.status import KioskStatus
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.store.face_templates import Enrolled
    from kiosk.store.outbox import Queued
    from kiosk.store.store import Store
    from kiosk.sync.relay import Relay

log = logging.getLogger(__name__)


class BackgroundSync:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._relay: Relay | None = None
        self._store: Store | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Let a running relay finish its step; a worker still starting up is left to end with the process."""
        self._stop.set()
        if self._relay is not None:
            self._relay.wake()
            self._thread.join(timeout)

    def submit(self, service_id: str, payload: dict, photos: dict, subject: str | None) -> Queued:
        """Save a villager's request durably (on the caller's worker thread), then wake the relay."""
        if not self._ready.wait(15) or self._store is None:
            raise KioskError("系统还在启动，请稍等一下再点提交。")
        queued = self._store.outbox.enqueue(service_id, payload, subject=subject, attachments=photos or None)
        self.wake()
        return queued

    def enrolled_faces(self) -> list[Enrolled]:
        """For face check-in, on the camera's thread; empty until the store is open."""
        return self._store.faces.all() if self._store is not None else []

    def wake(self) -> None:
        if self._relay is not None:
            self._relay.wake()

    def status(self) -> KioskStatus:
        if self._relay is None:
            return KioskStatus()
        snapshot = self._relay.status
        return KioskStatus(snapshot.network, int(snapshot.counts.get("queued", 0) + snapshot.counts.get("sending", 0)))

    def _run(self) -> None:
        # Imported here, on the worker: the home screen is painted before any of this loads.
        from kiosk.config import load_config
        from kiosk.store.store import open_store
        from kiosk.sync.client import ProvincialClient
        from kiosk.sync.relay import Relay

        try:
            store = open_store(self._data_dir)
            config = load_config()
        except KioskError as error:
            log.error("sync not started: %s", error.message)
            return
        self._store = store
        self._ready.set()
        for notice in store.notices:
            log.warning("%s", notice)
        client = ProvincialClient(config)
        self._relay = Relay(store.outbox, client, config.sync)
        try:
            self._relay.run_forever(self._stop)
        finally:
            client.close()
            store.close()
