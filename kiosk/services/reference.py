"""The province's reference lists (catalogue, subsidy types, products, guides) over the shipped ones.

The relay fetches each list by ETag; a new copy is checked the way the kiosk will read it and
only then replaces the last good one (in ``reference/`` in the data directory). A malformed
copy is refused with a plain reason and the last good one stays in use; the shipped cache is
the fallback for anything never fetched. The screens are built from these at start.

The guide manifest is a list of its own: a county's guide set, whose media the relay downloads
(kiosk/services/guide_sets.py). Its guides are shown, before the others, once the set is whole.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.paths import data_dir, offline_cache_dir
from kiosk.services.catalogue import CHOICE_LISTS, Catalogue, CatalogueError, load_catalogue
from kiosk.services.guide_sets import MANIFEST, GuideSets
from kiosk.services.guides import Guide, load_guides

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)
NAMES = ("catalogue", *CHOICE_LISTS, "guides", MANIFEST)
ETAGS = "etags.json"
MAX_BYTES = 1_000_000


class ReferenceFiles:
    def __init__(self, folder: Path, shipped: Path) -> None:
        self.folder = folder
        self.shipped = shipped
        self.names = NAMES
        self.guide_sets = GuideSets(folder / "guide_sets")

    @property
    def folders(self) -> tuple[Path, Path]:
        return self.folder, self.shipped

    def catalogue(self) -> Catalogue:
        return load_catalogue(*self.folders)

    def guides(self) -> list[Guide]:
        """The county's pushed set first, if one is in use, then the others it does not replace (by id)."""
        listed = load_guides(*self.folders)
        pushed = self.guide_sets.in_use()
        if pushed is None:
            return listed
        try:
            county = load_guides(pushed.folder)
        except CatalogueError as error:  # checked when it was swapped in: the disk has changed under it
            log.warning("pushed guide set %s not shown: %s", pushed.version, error.message)
            return listed
        replaced = {g.id for g in county}
        return county + [g for g in listed if g.id not in replaced]

    def guides_in_use(self) -> str | None:
        """Which pushed set the guides come from (None: none): the screens reload when it changes."""
        pushed = self.guide_sets.in_use()
        return pushed and pushed.id

    def guide_changes(self) -> Callable[[], list[Guide] | None]:
        """For the guide screens: a check that gives the guides again once another pushed set is in use."""
        seen = [self.guides_in_use()]

        def changed() -> list[Guide] | None:
            in_use = self.guides_in_use()  # one small file: cheap enough to ask on the way home
            if in_use == seen[0]:
                return None
            seen[0] = in_use
            return self.guides()

        return changed

    def etag(self, name: str) -> str | None:
        return self._etags().get(name)

    def accept(self, name: str, etag: str | None, body: bytes) -> None:
        """Keep ``body`` as the new ``name`` if the kiosk can read it; else raise CatalogueError, keep the old."""
        if name not in NAMES:
            raise CatalogueError(f"不认识的参考资料：{name}")
        if len(body) > MAX_BYTES:
            raise CatalogueError(f"{name}: 太大了（{len(body)} 字节）")
        if any(unicodedata.category(ch)[0] == "C" and ch not in "\t\n\r" for ch in body.decode("utf-8", "replace")):
            raise CatalogueError(f"{name}: 含有控制字符或文字方向符，不能显示给村民")
        if name == MANIFEST:
            self.guide_sets.want(body)
            self._write(ETAGS, json.dumps(self._etags() | {name: etag}).encode())
            return
        with tempfile.TemporaryDirectory() as trial:
            (Path(trial) / f"{name}.json").write_bytes(body)
            # Read exactly as at start-up, the candidate first: the catalogue with every list it names.
            load_catalogue(Path(trial), *self.folders)
            load_guides(Path(trial), *self.folders)
        self._write(f"{name}.json", body)
        self._write(ETAGS, json.dumps(self._etags() | {name: etag}).encode())

    def _etags(self) -> dict:
        try:
            return json.loads((self.folder / ETAGS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = self.folder / f".{name}.partial"
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(self.folder / name)


def reference_files() -> ReferenceFiles:
    """The kiosk's own: fetched copies in the data directory over the shipped offline cache."""
    return ReferenceFiles(data_dir() / "reference", offline_cache_dir())
