"""What the relay knows about the province, as the UI's status strip shows it (light to import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Network(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass
class SyncStatus:
    network: Network = Network.UNKNOWN
    last_sync: float | None = None
    counts: dict = field(default_factory=dict)
