"""A device or service loop on its own daemon thread, asked to stop by an event."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod


class WorkerThread(ABC):
    """Subclasses implement ``_run`` and check ``self._stop``; ``stop`` asks, and waits unless told not to."""

    thread_name = "worker"
    join_timeout_s = 5.0

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: bool = True) -> None:
        """The GUI thread passes ``wait=False`` and never blocks on a device."""
        self._stop.set()
        self._wake()
        if wait and self._thread.is_alive():
            self._thread.join(self.join_timeout_s)

    def _wake(self) -> None:  # noqa: B027 - most loops wait on the stop event itself: nothing to do
        """Interrupt whatever the loop is waiting on, so it sees the stop at once."""

    @abstractmethod
    def _run(self) -> None:
        """The loop; it returns when ``self._stop`` is set."""
