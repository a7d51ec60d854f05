"""County guide sets for the push tests: the reference province's sample, and a small older one."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

from kiosk.paths import offline_cache_dir
from kiosk.services.guide_sets import MediaFile, write_manifest
from kiosk.sim.provincial import SAMPLE_GUIDE_SET

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.services.guide_sets import GuideSets

OLD_LABEL = "旧的指南"


def sample_set(folder: Path) -> Path:
    """A copy of the sample county set the reference province serves (the tests may spoil it)."""
    shutil.copytree(SAMPLE_GUIDE_SET, folder)
    return folder


def old_set(folder: Path) -> Path:
    """A one-guide, one-picture set under another name and version: the set in use before the push."""
    (folder / "guides" / "old_county").mkdir(parents=True)
    shutil.copyfile(offline_cache_dir() / "guides" / "lost_card" / "1.png", folder / "guides" / "old_county" / "1.png")
    guide = {"id": "old_county", "label": OLD_LABEL, "steps": [{"picture": "old_county/1.png", "text": "旧的一步。"}]}
    (folder / "guides.json").write_text(json.dumps({"version": 2, "items": [guide]}, ensure_ascii=False), "utf-8")
    write_manifest(folder, "旧县指南", "1")
    return folder


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "guide_manifest.json").read_text(encoding="utf-8"))


def deliver(sets: GuideSets, entry: dict, upto: int | None = None) -> None:
    """Put a sample file's bytes on disk as the download lane does: a part, and once whole, kept."""
    media = MediaFile(entry["file"], entry["sha256"], entry["size"])
    data = (SAMPLE_GUIDE_SET / "guides" / entry["file"]).read_bytes()
    sets.part(media).write_bytes(data[:upto])
    if upto is None:
        sets.fetched(media)


def push_sample(sets: GuideSets) -> None:
    """The sample set wanted, all of it delivered, and swapped in: what the relay does, without the link."""
    sets.want((SAMPLE_GUIDE_SET / "guide_manifest.json").read_bytes())
    for entry in manifest_of(SAMPLE_GUIDE_SET)["media"]:
        deliver(sets, entry)
    sets.swap()
