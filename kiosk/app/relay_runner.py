"""The relay on its own thread while the UI runs, or, on an installed kiosk, a watch on the relay service.

With ``sync.relay = "ui"`` the relay runs here; with ``"service"`` it runs in ``kiosk-relay.service``
(so it keeps sending while the UI restarts) and this thread only reads the status it shares and
passes on the device states the UI saw. Either way this thread has its own connection to the
store: whatever becomes of it (a crash included, which it survives by starting again) never touches
the connection the villager's requests are saved through. The GUI thread only reads a snapshot.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.app.status import KioskStatus
from kiosk.errors import KioskError
from kiosk.sync.status import Network

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.devices import DeviceReport
    from kiosk.config import Config
    from kiosk.store.store import Store
    from kiosk.sync.relay import Relay

log = logging.getLogger(__name__)
WATCH_INTERVAL_S = 2.0
RESTART_S = 30.0  # after the relay died of something unforeseen: long enough not to spin on a lasting fault


class RelayRunner:
    def __init__(
        self,
        config: Config,
        open_store: Callable[[], Store],
        devices: DeviceReport,
        references=None,
        restart_s: float = RESTART_S,
    ) -> None:
        self._config = config
        self._open_store = open_store
        self._devices = devices
        self._references = references
        self._restart_s = restart_s
        self._stop = threading.Event()
        self._relay: Relay | None = None
        self._store_open = False
        self._watched = KioskStatus()
        self._thread = threading.Thread(target=self._run, name="relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Let a running relay finish its step (bounded: the kiosk's exit never hangs on the network);
        a thread still opening its store is left to end with the process."""
        self._stop.set()
        self.wake()
        if self._store_open:
            self._thread.join(timeout)

    def wake(self, queued: int = 0) -> None:
        """``queued``: new items, counted in the status until the relay (or the watch) counts again."""
        relay = self._relay
        if relay is not None:
            relay.wake(queued)
        elif queued:
            self._watched = KioskStatus(self._watched.network, self._watched.queued + queued)

    def status(self) -> KioskStatus:
        relay = self._relay
        if relay is None:
            return self._watched
        snapshot = relay.status
        waiting = snapshot.counts.get("queued", 0) + snapshot.counts.get("sending", 0)
        return KioskStatus(snapshot.network, int(waiting))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._run_on_own_store()
            except KioskError as error:
                log.error("relay not running: %s", error.message)
            except Exception:
                log.exception("relay stopped by an unexpected error; it starts again in %.0f s", self._restart_s)
            self._watched = KioskStatus()
            if self._stop.wait(self._restart_s):
                return

    def _run_on_own_store(self) -> None:
        from kiosk.sync.relay import relay_for  # on this thread: the home screen is painted before it loads

        store = self._open_store()
        self._store_open = True
        try:
            if self._config.sync.relay == "service":
                self._watch(store)
                return
            relay = relay_for(store, self._config, self._references, self._devices.snapshot)
            self._relay = relay
            try:
                relay.run_forever(self._stop)
            finally:
                self._relay = None
                relay.close()
        finally:
            self._store_open = False
            store.close()

    def _watch(self, store: Store) -> None:
        from kiosk.sync.relay import DEVICE_STATES_KEY, RELAY_STATUS_KEY

        while True:
            shared = store.settings.get(RELAY_STATUS_KEY, {})
            counts = store.outbox.stats()
            try:
                network = Network(shared.get("network", Network.UNKNOWN))
            except ValueError:
                network = Network.UNKNOWN
            self._watched = KioskStatus(network, int(counts["queued"] + counts["sending"]))
            devices = self._devices.snapshot()
            if store.settings.get(DEVICE_STATES_KEY) != devices:  # for the relay service's heartbeat
                store.settings.put(DEVICE_STATES_KEY, devices)
            if self._stop.wait(WATCH_INTERVAL_S):
                return
