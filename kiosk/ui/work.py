"""The one way background work is run from the UI: a worker thread, results back on the GUI thread.

Disk, network and device work never runs on the GUI thread. ``run`` gives a job to the worker; its
result goes to ``done`` on the GUI thread. A failure goes to ``failed`` (as a KioskError with words
for the villager) when the caller has something to show; without ``failed`` it is logged, with its
traceback, and nothing is dropped silently. Something unforeseen is always logged with its traceback.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)
UNFORESEEN = "出了点问题，请叫志愿者。"


class BackgroundWork(QObject):
    _deliver = Signal(object)  # a callable to run on the GUI thread

    def __init__(self, parent: QObject | None = None, name: str = "work") -> None:
        super().__init__(parent)
        self._name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False
        self._deliver.connect(lambda deliver: deliver())

    def run(
        self,
        job: Callable[[], object],
        done: Callable[[object], None] | None = None,
        failed: Callable[[KioskError], None] | None = None,
    ) -> None:
        if self._closed:  # a screen change as the kiosk closes (going home): nothing is left to do it for
            log.info("%s job not started: the kiosk is closing", self._name)
            return

        def on_worker() -> None:
            try:
                result = job()
            except KioskError as error:
                if failed is None:
                    log.warning("%s job failed: %s", self._name, error.message, exc_info=error)
                else:
                    self._deliver.emit(lambda error=error: failed(error))
                return
            except Exception:
                log.exception("%s job failed unexpectedly", self._name)
                if failed is not None:
                    plain = KioskError(UNFORESEEN)
                    self._deliver.emit(lambda: failed(plain))
                return
            if done is not None:
                self._deliver.emit(lambda: done(result))

        self._pool.submit(on_worker)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True)
