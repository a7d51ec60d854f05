"""Where a command writes its file: only into a folder that is already there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput

if TYPE_CHECKING:
    from pathlib import Path


def in_existing_folder(path: Path) -> Path:
    """``path``, refused if its folder is missing: a typo must not leave new folders about (as root, anywhere)."""
    folder = path.absolute().parent
    if not folder.is_dir():
        raise InvalidInput(f"--out {path}：没有 {folder} 这个文件夹；先建好它，或换一个 --out")
    return path
