"""办事指南 as data: a guide is a few steps (one picture, one short sentence each), maybe a video.

``guides.json`` in the offline cache (or the province's newer copy) lists the guides; their media
live beside it under ``guides/`` and are named relative to that folder, ``GUIDE_ID/FILE``. A
name is looked up in each folder in turn (the province's copy first, then the shipped cache), so
a list refreshed by the province still finds the pictures the kiosk shipped with. A picture that
is nowhere is drawn as a plain book; a video that is nowhere is simply not offered.

Version 1 files (one paragraph of ``text`` a guide) still load: each sentence becomes a step.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from kiosk.services.catalogue import CatalogueError, _describe, _read_json, find

if TYPE_CHECKING:
    from pathlib import Path

MEDIA_FOLDER = "guides"
MAX_GUIDES = 20
MAX_STEPS = 15  # the walk through the longest service (卖农产品: eight questions, the photo looked at) fits
MAX_LABEL_CHARS = 10
MAX_STEP_CHARS = 40
MEDIA_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}/[a-z0-9][a-z0-9_.-]{0,63}\.(png|jpg|mp4)$")
GUIDE_ID = re.compile(r"^[a-z0-9_]{1,64}$")
SENTENCE_END = re.compile(r"(?<=[。！？])")


@dataclass(frozen=True)
class Step:
    text: str
    picture: Path | None  # None: the file is missing, the screen draws a placeholder


@dataclass(frozen=True)
class Cue:
    """A subtitle: what is said from ``start_s`` to ``end_s`` seconds into the video."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Video:
    path: Path
    cues: tuple[Cue, ...]

    def cue_at(self, seconds: float) -> str:
        """The subtitle to show at ``seconds``: the one running, else the last one begun, else the first."""
        shown = self.cues[0].text
        for cue in self.cues:
            if cue.start_s <= seconds:
                shown = cue.text
        return shown


@dataclass(frozen=True)
class Guide:
    id: str
    label: str
    steps: tuple[Step, ...]
    video: Video | None = None
    service: str | None = None  # generated from this service's screens by `kiosk guides build`


def load_guides(*folders: Path) -> list[Guide]:
    path = find(folders, "guides")
    raw = _read_json(path)
    try:
        items = raw["items"]
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_GUIDES:
            raise ValueError(f"items 应有 1 到 {MAX_GUIDES} 项")
        guides = [_guide(item, folders) for item in items]
    except (ValueError, KeyError, TypeError) as error:
        raise CatalogueError(f"{path}: 办事指南格式不对（{_describe(error)}）") from None
    ids = [g.id for g in guides]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"{path}: 办事指南编号重复")
    return guides


def _guide(item: dict, folders: tuple[Path, ...]) -> Guide:
    guide_id, label = str(item["id"]), str(item["label"])
    if not GUIDE_ID.match(guide_id):
        raise ValueError(f"指南编号只能用小写字母、数字和 _：{guide_id}")
    if not 2 <= len(label) <= MAX_LABEL_CHARS:
        raise ValueError(f"指南 {guide_id} 的名称应为 2 到 {MAX_LABEL_CHARS} 个字")
    if "steps" in item:
        steps = [Step(str(s["text"]), media(str(s["picture"]), folders)) for s in item["steps"]]
    else:  # version 1: a paragraph
        steps = [Step(sentence, None) for sentence in SENTENCE_END.split(str(item["text"])) if sentence.strip()]
    if not 1 <= len(steps) <= MAX_STEPS:
        raise ValueError(f"指南 {guide_id} 应有 1 到 {MAX_STEPS} 步")
    for step in steps:
        if not step.text or len(step.text) > MAX_STEP_CHARS:
            raise ValueError(f"指南 {guide_id} 每一步的话应为 1 到 {MAX_STEP_CHARS} 个字：「{step.text}」")
    video = _video(item["video"], guide_id, folders) if item.get("video") else None
    service = item.get("service")
    return Guide(guide_id, label, tuple(steps), video, str(service) if service else None)


def _video(entry: dict, guide_id: str, folders: tuple[Path, ...]) -> Video | None:
    cues = tuple(Cue(float(c["start"]), float(c["end"]), str(c["text"])) for c in entry["subtitles"])
    if not cues:
        raise ValueError(f"指南 {guide_id} 的视频没有字幕")
    if any(not 0 <= c.start_s < c.end_s for c in cues) or any(a.start_s > b.start_s for a, b in pairwise(cues)):
        raise ValueError(f"指南 {guide_id} 的字幕时间不对")
    path = media(str(entry["file"]), folders)
    return Video(path, cues) if path is not None else None


def media(name: str, folders: tuple[Path, ...]) -> Path | None:
    """The file a guide names, from the first folder that has it; a name that could leave the media
    folder is refused (it comes from the province)."""
    if not MEDIA_NAME.match(name) or ".." in name:
        raise ValueError(f"媒体文件名不对：{name}")
    for folder in folders:
        candidate = folder / MEDIA_FOLDER / name
        if candidate.is_file():
            return candidate
    return None


def guide_json(guide: Guide, media_root: Path) -> dict:
    """``guide`` as it is written in guides.json, its media named relative to ``media_root``."""
    item: dict = {"id": guide.id, "label": guide.label}
    if guide.service:
        item["service"] = guide.service
    item["steps"] = [{"picture": _name(s.picture, media_root), "text": s.text} for s in guide.steps]
    if guide.video is not None:
        item["video"] = {
            "file": _name(guide.video.path, media_root),
            "subtitles": [{"start": c.start_s, "end": c.end_s, "text": c.text} for c in guide.video.cues],
        }
    return item


def _name(path: Path | None, media_root: Path) -> str:
    if path is None:
        raise ValueError("a written guide names every file")
    return path.relative_to(media_root).as_posix()


def merge_guides(folder: Path, guides: list[Guide]) -> Path:
    """Put ``guides`` into ``folder``/guides.json (their media already under ``folder``/guides): each
    replaces the guide of the same id where it stood, new ones go last, every other entry is kept as written."""
    path = folder / "guides.json"
    items = _read_json(path).get("items", []) if path.exists() else []
    fresh = {g.id: guide_json(g, folder / MEDIA_FOLDER) for g in guides}
    items = [fresh.pop(item.get("id"), item) for item in items] + list(fresh.values())
    partial = folder / ".guides.json.partial"
    partial.write_text(
        json.dumps({"version": 2, "items": items}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    partial.replace(path)
    return path
