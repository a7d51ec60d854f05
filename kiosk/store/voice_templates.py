"""Taught spoken commands: a speaker's voice, kept only with their consent, encrypted, removable by speaker.

Each row is one recording's speech features. The speaker's name and the features are sealed with
the kiosk's key; only a keyed hash of the name is in the clear, to find a speaker's templates again.
The command (a service id, back, yes …) is not personal and stays readable, so the kiosk can count
what is taught without opening anyone's voice.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.store import audit

if TYPE_CHECKING:
    from kiosk.store.crypto import Vault
    from kiosk.store.database import Database

HASH_PREFIX = "voice-speaker:"


@dataclass(frozen=True)
class TaughtTemplate:
    id: int
    intent: str
    speaker: str
    features: bytes  # float32 little-endian, frames × dimensions
    dimensions: int
    taught_at: float


class VoiceTemplates:
    def __init__(self, database: Database, vault: Vault) -> None:
        self._db = database
        self._vault = vault

    def _speaker_hash(self, speaker: str) -> str:
        return self._vault.lookup_hash(HASH_PREFIX + speaker)

    def teach(
        self, intent: str, speaker: str, recordings: list[bytes], dimensions: int, consent: bool, volunteer: str = ""
    ) -> list[int]:
        """Keep one template per recording; refused without the speaker's consent. ``volunteer`` is who
        explained it and took the consent (on the audit chain, as for face enrolment)."""
        if not consent:
            raise PermissionError("no consent")
        speaker_hash = self._speaker_hash(speaker)
        now = time.time()
        ids = []
        with self._db.transaction() as conn:
            for features in recordings:
                body = json.dumps({"speaker": speaker, "dimensions": dimensions, "features": features.hex()})
                sealed = self._vault.encrypt(body.encode(), f"voice:{intent}".encode())
                cursor = conn.execute(
                    "INSERT INTO voice_templates (speaker_hash, intent, sealed, taught_at, consent_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (speaker_hash, intent, sealed, now, now),
                )
                ids.append(cursor.lastrowid)
            audit.append(
                conn,
                "voice_taught",
                speaker=speaker_hash[:12],
                intent=intent,
                recordings=len(recordings),
                volunteer=volunteer,
            )
        return ids

    def all(self) -> list[TaughtTemplate]:
        rows = self._db.query("SELECT id, intent, sealed, taught_at FROM voice_templates ORDER BY id")
        return [self._open(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many templates each command has (without decrypting anything)."""
        rows = self._db.query("SELECT intent, COUNT(*) FROM voice_templates GROUP BY intent")
        return dict(rows)

    def remove(self, speaker: str | None = None, volunteer: str = "") -> int:
        """Delete one speaker's templates (they withdrew consent), or everyone's when ``speaker`` is None.

        SQLite overwrites the freed pages and the write-ahead log is emptied, so no copy of the sealed
        voice is left in the file.
        """
        with self._db.lock:
            conn = self._db.conn
            conn.execute("PRAGMA secure_delete=ON")
            try:
                with self._db.transaction() as conn:
                    if speaker is None:
                        removed = conn.execute("DELETE FROM voice_templates").rowcount
                        audit.append(conn, "voice_removed", speaker="*", templates=removed, volunteer=volunteer)
                    else:
                        speaker_hash = self._speaker_hash(speaker)
                        removed = conn.execute(
                            "DELETE FROM voice_templates WHERE speaker_hash = ?", (speaker_hash,)
                        ).rowcount
                        audit.append(
                            conn, "voice_removed", speaker=speaker_hash[:12], templates=removed, volunteer=volunteer
                        )
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.execute("PRAGMA secure_delete=OFF")
        return removed

    def _open(self, row_id: int, intent: str, sealed: bytes, taught_at: float) -> TaughtTemplate:
        body = json.loads(self._vault.decrypt(sealed, f"voice:{intent}".encode()))
        return TaughtTemplate(
            row_id, intent, body["speaker"], bytes.fromhex(body["features"]), body["dimensions"], taught_at
        )
