"""The store the villager's requests are saved through, as the UI's use-cases ask it.

It is opened once, off the GUI thread (the kiosk starts it after the home screen is painted), and
closed only when the kiosk ends. The relay has its own connection (``app/relay_runner.py``), so
nothing the relay does, not even dying, can close or break this one.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.app.staff import Operator
    from kiosk.store.face_templates import Enrolled
    from kiosk.store.store import Store

log = logging.getLogger(__name__)
OPEN_WAIT_S = 15.0
STARTING = "系统还在启动，请稍等一下再点。"
CANNOT_SAVE = "暂时不能保存，请叫志愿者。"


class Backend:
    def __init__(
        self, open_store: Callable[[], Store], wake_relay: Callable[..., None] = lambda queued=0: None
    ) -> None:
        """``open_store`` runs on the backend's own thread; ``wake_relay`` is told of every new request,
        with how many it queued (``queued=1``), so the header counts it at once."""
        self._open_store = open_store
        self.wake_relay = wake_relay
        self._ready = threading.Event()
        self._store: Store | None = None
        self._failure = CANNOT_SAVE
        self.operator: Operator | None = None  # helper mode: who operates (set by the staff use-cases)

    @classmethod
    def over(cls, store: Store, wake_relay: Callable[..., None] = lambda queued=0: None) -> Backend:
        """A backend on a store already open (tests, the technician's commands)."""
        backend = cls(lambda: store, wake_relay)
        backend._opened(store)
        return backend

    @classmethod
    def without_store(cls) -> Backend:
        """Nothing can be saved (screenshots, screens tried on their own): every use-case says so at once."""
        backend = cls(_no_store)
        backend._ready.set()
        return backend

    def start(self) -> None:
        threading.Thread(target=self._open, name="store", daemon=True).start()

    def _open(self) -> None:
        try:
            store = self._open_store()
        except KioskError as error:
            log.error("store not opened: %s", error.message)
            self._failure = f"暂时不能保存，请叫志愿者（{error.message}）"
            self._ready.set()
            return
        for notice in store.notices:
            log.warning("%s", notice)
        self._opened(store)

    def _opened(self, store: Store) -> None:
        self._store = store
        self._ready.set()

    def store(self) -> Store:
        """The open store (on a worker thread: it may wait for the opening to finish)."""
        if not self._ready.wait(OPEN_WAIT_S):
            raise KioskError(STARTING)
        if self._store is None:
            raise KioskError(self._failure)
        return self._store

    def enrolled_faces(self) -> list[Enrolled]:
        """The villagers enrolled for face check-in, on the camera's thread: none until the store is open."""
        store = self._store
        return store.faces.all() if store is not None else []

    def record(self, event: str, **details: str | int | float | None) -> None:
        self.store().record(event, **details)

    def close(self) -> None:
        """At the very end, once no worker can still be saving through it."""
        if self._store is not None:
            self._store.close()
            self._store = None


def _no_store() -> Store:
    raise KioskError(CANNOT_SAVE)
