"""The province's answers as a villager meets them: at once while they wait, or at their next check-in.

Every call runs on a worker thread: the answers are read from, and marked in, the store.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.backend import Backend
    from kiosk.store.answers import Answer

POLL_S = 0.3


class WaitingAnswers:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._stop = threading.Event()

    def stop(self) -> None:
        """The kiosk ends: no worker stays waiting for an answer."""
        self._stop.set()

    def wait_for(self, outbox_id: str, timeout_s: float) -> Answer | None:
        """The answer to a request just sent, if it comes within ``timeout_s``."""
        answers = self._backend.store().answers
        deadline = time.monotonic() + timeout_s
        while (answer := answers.get(outbox_id)) is None and time.monotonic() < deadline:
            if self._stop.wait(POLL_S):
                return None
        return answer

    def unseen_for(self, id_number: str) -> list[Answer]:
        return self._backend.store().answers.unseen_for(id_number)

    def mark_shown(self, outbox_ids: list[str]) -> None:
        answers = self._backend.store().answers
        for outbox_id in outbox_ids:
            answers.mark_shown(outbox_id)
