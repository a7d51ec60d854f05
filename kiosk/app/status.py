"""What the volunteers' status strip shows: network, queue length."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.sync.status import Network


@dataclass(frozen=True)
class KioskStatus:
    network: Network = Network.UNKNOWN
    queued: int = 0
