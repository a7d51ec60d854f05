"""Enrolled face templates: kept only with the villager's consent, encrypted, with who enrolled them."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.store import audit

if TYPE_CHECKING:
    from kiosk.store.crypto import Vault
    from kiosk.store.database import Database


@dataclass(frozen=True)
class Enrolled:
    subject_hash: str
    name: str
    id_number: str
    template: bytes


class FaceTemplates:
    def __init__(self, database: Database, vault: Vault) -> None:
        self._db = database
        self._vault = vault

    def enroll(self, name: str, id_number: str, template: bytes, volunteer: str) -> None:
        """Keep (or replace) a villager's template; ``volunteer`` is who took the consent."""
        subject = self._vault.lookup_hash(id_number)
        body = json.dumps({"name": name, "id_number": id_number, "template": base64.b64encode(template).decode()})
        sealed = self._vault.encrypt(body.encode(), subject.encode())
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO face_templates VALUES (?, ?, ?, ?)", (subject, sealed, time.time(), volunteer)
            )
            audit.append(conn, "face_enrolled", subject=subject[:12], volunteer=volunteer)

    def for_id_number(self, id_number: str) -> Enrolled | None:
        subject = self._vault.lookup_hash(id_number)
        rows = self._db.query("SELECT subject_hash, sealed FROM face_templates WHERE subject_hash = ?", (subject,))
        return self._open(*rows[0]) if rows else None

    def all(self) -> list[Enrolled]:
        rows = self._db.query("SELECT subject_hash, sealed FROM face_templates")
        return [self._open(subject, sealed) for subject, sealed in rows]

    def remove(self, id_number: str) -> bool:
        """The villager withdraws consent: the template is deleted."""
        subject = self._vault.lookup_hash(id_number)
        with self._db.transaction() as conn:
            removed = conn.execute("DELETE FROM face_templates WHERE subject_hash = ?", (subject,)).rowcount
            audit.append(conn, "face_removed", subject=subject[:12])
        return bool(removed)

    def _open(self, subject: str, sealed: bytes) -> Enrolled:
        body = json.loads(self._vault.decrypt(sealed, subject.encode()))
        return Enrolled(subject, body["name"], body["id_number"], base64.b64decode(body["template"]))
