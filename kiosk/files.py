"""Files the kiosk writes whole: for its own user alone, and never half there after a power cut."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700


def write_whole(path: Path, data: bytes) -> None:
    """``data`` at ``path`` (0600, its folder made 0700), on disk before the old file is replaced;
    the rename is made durable too. An error (a full disk) leaves the old file and no partial one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE), "wb") as out:
            os.fchmod(out.fileno(), PRIVATE_FILE)  # a partial left by a crash keeps the mode it was made with
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """A rename in ``folder`` made durable: after a power cut the file is the old one or the new one."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def make_private(folder: Path) -> None:
    """``folder`` and everything in it for the kiosk's user alone (files kept from before it was so)."""
    for path in [folder, *folder.rglob("*")]:
        wanted = PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE
        if stat.S_IMODE(path.lstat().st_mode) != wanted and not path.is_symlink():
            path.chmod(wanted)
