"""Where the kiosk reads its shipped files and writes its data.

The kiosk writes only under the data directory: ``KIOSK_DATA_DIR`` when set, otherwise the
platform's user data directory. Shipped files (fonts, icons, the seed cache) are read from
the source tree, or from ``KIOSK_SHARE_DIR`` when installed elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

FONT_FILES = ("KioskSansSC-Regular.otf", "KioskSansSC-Bold.otf")
_SOURCE_TREE = Path(__file__).resolve().parent.parent


def share_dir() -> Path:
    configured = os.environ.get("KIOSK_SHARE_DIR")
    return Path(configured) if configured else _SOURCE_TREE


def assets_dir() -> Path:
    return share_dir() / "assets"


def offline_cache_dir() -> Path:
    return share_dir() / "offline_cache"


def data_dir(create: bool = True) -> Path:
    configured = os.environ.get("KIOSK_DATA_DIR")
    path = Path(configured) if configured else Path(user_data_dir("village-kiosk", appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
