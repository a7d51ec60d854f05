"""Open everything the kiosk keeps on disk, in the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.store import audit
from kiosk.store.answers import Answers
from kiosk.store.calls import Calls
from kiosk.store.crypto import Vault
from kiosk.store.database import Database, open_database
from kiosk.store.face_templates import FaceTemplates
from kiosk.store.outbox import Outbox
from kiosk.store.ratings import Ratings
from kiosk.store.retention import Retention
from kiosk.store.settings import Settings
from kiosk.store.voice_templates import VoiceTemplates
from kiosk.store.volunteers import Volunteers

if TYPE_CHECKING:
    from pathlib import Path

DATABASE_FILE = "kiosk.db"
KEY_FILE = "kiosk.key"


@dataclass
class Store:
    database: Database
    vault: Vault
    outbox: Outbox
    faces: FaceTemplates
    settings: Settings
    answers: Answers
    volunteers: Volunteers
    voices: VoiceTemplates
    retention: Retention
    audit: audit.AuditTrail
    calls: Calls
    ratings: Ratings

    @property
    def notices(self) -> list[str]:
        return self.database.notices

    def record(self, event: str, **details: str | int | float | None) -> None:
        """An audit event on its own (never personal data: villagers appear only as keyed hashes)."""
        with self.database.transaction() as conn:
            audit.append(conn, event, **details)

    def close(self) -> None:
        self.database.close()


def open_store(data_dir: Path) -> Store:
    vault = Vault.open(data_dir / KEY_FILE)
    database = open_database(data_dir / DATABASE_FILE)
    with database.lock:
        audit.bind(database.conn, vault.audit_key)
    return Store(
        database,
        vault,
        Outbox(database, vault),
        FaceTemplates(database, vault),
        Settings(database),
        Answers(database, vault),
        Volunteers(database),
        VoiceTemplates(database, vault),
        Retention(database),
        audit.AuditTrail(database),
        Calls(database),
        Ratings(database),
    )
