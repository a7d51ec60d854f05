"""The station's volunteers and their PINs (scrypt hashes only; a PIN is never stored)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput
from kiosk.store import audit
from kiosk.store.crypto import PIN_RULE, hash_pin, valid_pin

if TYPE_CHECKING:
    from kiosk.store.database import Database


class Volunteers:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, name: str, pin: str) -> None:
        name = name.strip()
        if not name or len(name) > 20:
            raise InvalidInput("志愿者名字应是 1 到 20 个字")
        if not valid_pin(pin):
            raise InvalidInput(f"PIN 应是 {PIN_RULE}")
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO volunteers (name, pin_hash, added_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET pin_hash = excluded.pin_hash",
                (name, hash_pin(pin), time.time()),
            )
            audit.append(conn, "volunteer_added", volunteer=name)

    def remove(self, name: str) -> None:
        with self._db.transaction() as conn:
            if conn.execute("DELETE FROM volunteers WHERE name = ?", (name,)).rowcount == 0:
                raise InvalidInput(f"没有这位志愿者：{name}")
            audit.append(conn, "volunteer_removed", volunteer=name)

    def names(self) -> list[str]:
        return [row[0] for row in self._db.query("SELECT name FROM volunteers ORDER BY name")]

    def hashes(self) -> list[tuple[str, str]]:
        return self._db.query("SELECT name, pin_hash FROM volunteers ORDER BY name")
