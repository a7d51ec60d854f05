"""Small shared facts between the kiosk's processes (the UI and the relay service), as JSON.

Never personal data: relay status, device states, lock-out counters.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.database import Database


class Settings:
    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, key: str, default=None):
        rows = self._db.query("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except json.JSONDecodeError:
            return default

    def put(self, key: str, value) -> None:
        self._db.execute_alone(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )
