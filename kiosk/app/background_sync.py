"""The relay on its own thread while the UI runs: the GUI thread only ever reads a status snapshot.

On an installed kiosk the relay runs as its own service (``sync.relay = "service"``), so that it
keeps sending while the UI restarts; then this thread only watches the shared status the relay
writes, and a request saved here wakes the relay through the database itself.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app.status import KioskStatus
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.app.staff import Operator
    from kiosk.store.answers import Answer
    from kiosk.store.face_templates import Enrolled
    from kiosk.store.outbox import Item, Queued
    from kiosk.store.store import Store
    from kiosk.sync.relay import Relay

log = logging.getLogger(__name__)
WATCH_INTERVAL_S = 2.0
ANSWER_POLL_S = 0.3


class BackgroundSync:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._operator: Operator | None = None
        self._devices: dict[str, str] = {}
        self._config = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._relay: Relay | None = None
        self._store: Store | None = None
        self._watched = KioskStatus()
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Let a running relay finish its step; a worker still starting up is left to end with the process."""
        self._stop.set()
        if self._relay is not None:
            self._relay.wake()
        if self._store is not None:
            self._thread.join(timeout)

    def submit(
        self, service_id: str, payload: dict, photos: dict, subject: str | None, awaits_result: bool = False
    ) -> Queued:
        """Save a villager's request durably (on the caller's worker thread), then wake the relay."""
        store = self._opened()
        queued = store.outbox.enqueue(
            service_id, payload, subject=subject, attachments=photos or None, awaits_result=awaits_result
        )
        operator = self._operator
        if operator is not None:  # helper mode: who made this request, for whom (a keyed hash only)
            store.record("assisted", id=queued.id, operator=operator.name,
                         subject=subject and store.vault.lookup_hash(subject))  # fmt: skip
        self.wake()
        return queued

    # -- helper mode (StaffBackend) ------------------------------------------------------

    def sign_in(self, pin: str) -> Operator:
        from kiosk.app.staff import SignInRefused, StaffSignIn

        store = self._opened()
        signing = StaffSignIn(store.settings, store.volunteers.hashes, self._config.technician_pin_hash)
        try:
            operator = signing.attempt(pin)
        except SignInRefused:
            store.record("staff_sign_in_refused")
            raise
        store.record("staff_signed_in", operator=operator.name, role=operator.role)
        return operator

    def set_operator(self, operator: Operator | None) -> None:
        if operator is None and self._operator is not None:
            self._opened().record("staff_signed_out", operator=self._operator.name)
        self._operator = operator

    def queue_overview(self, limit: int) -> tuple[dict, list[Item]]:
        store = self._opened()
        counts = store.outbox.stats() | {"published": store.answers.count("farm_listing")}
        return counts, store.outbox.items("rejected", limit=limit)

    def retry(self, item_id: str) -> None:
        self._opened().outbox.retry(item_id)
        self.wake()

    def discard(self, item_id: str) -> None:
        self._opened().outbox.discard(item_id)

    def load_for_fix(self, item_id: str) -> tuple[str, dict, dict[str, bytes]]:
        """A set-aside request as it was sent: (service, payload, photos), for a volunteer to correct."""
        item = self._opened().outbox.get(item_id, with_payload=True)
        return item.service, item.payload, self._opened().outbox.photos_of(item)

    def doctor(self) -> list:
        from kiosk.app.doctor import CHECKS, Context, run_checks

        # Not the speech check: the UI's own speech engine is the only one this process may have.
        wanted = {check_id for check_id, _, _ in CHECKS if check_id != "speaker"}
        return run_checks(Context(self._config, self._data_dir), wanted)

    def wait_for_answer(self, outbox_id: str, timeout_s: float) -> Answer | None:
        """The province's answer to a request just sent, if it comes within ``timeout_s`` (worker thread)."""
        answers = self._opened().answers
        deadline = time.monotonic() + timeout_s
        while (answer := answers.get(outbox_id)) is None and time.monotonic() < deadline:
            if self._stop.wait(ANSWER_POLL_S):
                return None
        return answer

    def unseen_answers(self, id_number: str) -> list[Answer]:
        return self._opened().answers.unseen_for(id_number)

    def mark_shown(self, outbox_ids: list[str]) -> None:
        answers = self._opened().answers
        for outbox_id in outbox_ids:
            answers.mark_shown(outbox_id)

    def _opened(self) -> Store:
        if not self._ready.wait(15):
            raise KioskError("系统还在启动，请稍等一下再点。")
        if self._store is None:
            raise KioskError(self._failure or "暂时不能保存，请叫志愿者。")
        return self._store

    def enrolled_faces(self) -> list[Enrolled]:
        """For face check-in, on the camera's thread; empty until the store is open."""
        return self._store.faces.all() if self._store is not None else []

    def wake(self) -> None:
        if self._relay is not None:
            self._relay.wake()

    def report_device(self, device: str, state: str) -> None:
        """A device's state as the UI last saw it, for the heartbeat (GUI thread: memory only)."""
        self._devices = self._devices | {device: state}

    def sync_now(self) -> None:
        """A volunteer's "sync now": nothing waits out its backoff (on a worker thread: it writes)."""
        if self._store is not None:
            self._store.outbox.make_all_due()  # this commit also wakes a relay running as a service
        self.wake()

    def status(self) -> KioskStatus:
        if self._relay is None:
            return self._watched
        snapshot = self._relay.status
        return KioskStatus(snapshot.network, int(snapshot.counts.get("queued", 0) + snapshot.counts.get("sending", 0)))

    def _run(self) -> None:
        # Imported here, on the worker: the home screen is painted before any of this loads.
        from kiosk.config import load_config
        from kiosk.services.reference import reference_files
        from kiosk.store.store import open_store
        from kiosk.sync.relay import relay_for

        try:
            store = open_store(self._data_dir)
            config = load_config()
        except KioskError as error:
            log.error("sync not started: %s", error.message)
            self._failure = f"暂时不能保存，请叫志愿者（{error.message}）"
            self._ready.set()
            return
        self._store = store
        self._config = config
        self._ready.set()
        for notice in store.notices:
            log.warning("%s", notice)
        if config.sync.relay == "service":
            try:
                self._watch(store)
            finally:
                store.close()
            return
        self._relay = relay_for(store, config, reference_files())
        self._relay.device_states = lambda: self._devices
        try:
            self._relay.run_forever(self._stop)
        finally:
            self._relay.close()
            store.close()

    def _watch(self, store: Store) -> None:
        from kiosk.sync.relay import DEVICE_STATES_KEY, RELAY_STATUS_KEY
        from kiosk.sync.status import Network

        while True:
            shared = store.settings.get(RELAY_STATUS_KEY, {})
            counts = store.outbox.stats()
            try:
                network = Network(shared.get("network", "unknown"))
            except ValueError:
                network = Network.UNKNOWN
            self._watched = KioskStatus(network, int(counts["queued"] + counts["sending"]))
            if store.settings.get(DEVICE_STATES_KEY) != self._devices:  # for the relay service's heartbeat
                store.settings.put(DEVICE_STATES_KEY, self._devices)
            if self._stop.wait(WATCH_INTERVAL_S):
                return
