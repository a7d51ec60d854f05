"""Logs in the data directory: rotating, one JSON object a line, never any personal data.

Nothing personal is ever passed to a logger (names, ID numbers, phones stay out of messages by
rule, and a test pushes a whole session through and searches the files). As a last guard, any
ID-number- or phone-shaped run of digits that slips into a message is masked before it is written.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

LOG_FILE = "kiosk.log"
ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![\dXx])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: m.group()[:4] + "*" * 10 + m.group()[-4:], text)
    return PHONE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created)) + f".{int(record.msecs):03d}",
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": os.getpid(),
            "thread": record.threadName,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(data_dir: Path, level: int = logging.INFO) -> Path:
    folder = data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOG_FILE
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return path
