"""The one way background work is run from the UI: a worker thread, results back on the GUI thread.

Disk, network and device work never runs on the GUI thread; each job's result (or its
KioskError) is delivered by signal to the callbacks given, on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from kiosk.errors import KioskError

log = logging.getLogger(__name__)


class BackgroundWork(QObject):
    _finished = Signal(object, object, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="work")
        self._finished.connect(lambda callback, result, error: callback(result, error))

    def run(self, job: Callable[[], object], done: Callable[[object, KioskError | None], None]) -> None:
        def wrapped() -> None:
            try:
                result, error = job(), None
            except KioskError as failure:
                result, error = None, failure
            except Exception as failure:  # reported to the villager as a plain failure, logged for the technician
                log.exception("background job failed")
                result, error = None, KioskError(f"出了点问题（{type(failure).__name__}），请叫志愿者")
            self._finished.emit(done, result, error)

        self._pool.submit(wrapped)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
