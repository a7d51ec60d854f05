"""What the volunteers' status strip shows: network, queue length."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Network(Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(frozen=True)
class KioskStatus:
    network: Network = Network.UNKNOWN
    queued: int = 0
