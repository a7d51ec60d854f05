"""Load the bundled CJK font so Chinese never renders as boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase

from kiosk.errors import KioskError
from kiosk.paths import FONT_FILES

if TYPE_CHECKING:
    from pathlib import Path


def load_bundled_fonts(fonts_dir: Path) -> str:
    """Register the bundled faces with Qt and return their family name."""
    families: set[str] = set()
    for name in FONT_FILES:
        path = fonts_dir / name
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise KioskError(f"字体文件缺失或损坏：{path}（重新安装软件包可修复）")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if len(families) != 1:
        raise KioskError(f"字体文件的字族不一致：{sorted(families)}")
    return families.pop()
