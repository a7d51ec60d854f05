"""Guide sets pushed by the county: the manifest wanted, its media as they download, the set in use.

In the data directory, under ``reference/guide_sets/``:

    wanted.json         the manifest last fetched from the province (checked before it is kept)
    media/SHA256.part   a file on its way: the bytes on disk are where its download resumes
    media/SHA256        a file whose size and SHA-256 matched the manifest
    sets/SET_ID/        a complete set, read like the offline cache: guides.json and guides/GUIDE_ID/FILE
    current.json        which set is in use (name, version, when it was swapped in)
    status.json         the download's last error in plain words, and each failing file's backoff

A set is built in ``sets/.staging-SET_ID`` from the verified media only once every file is in,
renamed into place, and then ``current.json`` is replaced with ``os.replace``: whoever reads
``current.json`` finds either the old complete set or the new complete set, never a half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.files import sync_folder, write_whole
from kiosk.services.catalogue import CatalogueError
from kiosk.services.guides import MEDIA_FOLDER, MEDIA_NAME, load_guides

MANIFEST = "guide_manifest"
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_SET_BYTES = 256 * 1024 * 1024
SHA256_HEX = frozenset("0123456789abcdef")
KEPT_SETS = 2  # the set in use and the one before it: a screen still showing it keeps its pictures


@dataclass(frozen=True)
class MediaFile:
    file: str  # GUIDE_ID/FILE, as the guides name it
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    id: str  # of the manifest's bytes: a changed manifest is a new set, even under the same version
    name: str
    version: str
    guides: tuple[dict, ...]
    media: tuple[MediaFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(m.size for m in self.distinct_media())

    def distinct_media(self) -> list[MediaFile]:
        """One entry a content: two names for the same bytes download once."""
        return list({m.sha256: m for m in self.media}.values())


@dataclass(frozen=True)
class InUse:
    id: str
    name: str
    version: str
    guides: int
    swapped_at: float
    folder: Path


def read_manifest(body: bytes) -> Manifest:
    """The manifest in ``body``, if the kiosk can show it once its files are in; else CatalogueError."""
    try:
        raw = json.loads(body)
        name, version, guides = str(raw["name"]), str(raw["version"]), raw["guides"]
        media = tuple(_media(entry) for entry in raw["media"])
        if not isinstance(guides, list) or not all(isinstance(g, dict) for g in guides):
            raise ValueError("guides 应是指南的列表")
    except (ValueError, KeyError, TypeError) as error:
        raise CatalogueError(f"指南清单格式不对（{_describe(error)}）") from None
    manifest = Manifest(hashlib.sha256(body).hexdigest()[:16], name, version, tuple(guides), media)
    _check_names(manifest)
    with tempfile.TemporaryDirectory() as trial:  # read exactly as the screens will, the files not yet there
        (Path(trial) / "guides.json").write_bytes(_guides_json(manifest))
        load_guides(Path(trial))
    return manifest


def _media(entry: dict) -> MediaFile:
    file, digest, size = str(entry["file"]), str(entry["sha256"]), entry["size"]
    if not MEDIA_NAME.match(file) or ".." in file:
        raise ValueError(f"媒体文件名不对：{file}")
    if len(digest) != 64 or not set(digest) <= SHA256_HEX:
        raise ValueError(f"{file} 的 sha256 应是 64 位小写十六进制")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_FILE_BYTES:
        raise ValueError(f"{file} 的大小应在 1 到 {MAX_FILE_BYTES} 字节之间")
    return MediaFile(file, digest, size)


def _check_names(manifest: Manifest) -> None:
    listed = [m.file for m in manifest.media]
    if len(set(listed)) != len(listed):
        raise CatalogueError("指南清单里有重复的文件名")
    named = set()
    for guide in manifest.guides:
        named.update(str(step.get("picture")) for step in guide.get("steps", []) if isinstance(step, dict))
        if isinstance(guide.get("video"), dict):
            named.add(str(guide["video"].get("file")))
    if missing := sorted(named - set(listed)):
        raise CatalogueError(f"指南用到的文件没有列在 media 里：{missing[0]}")
    if unused := sorted(set(listed) - named):
        raise CatalogueError(f"media 里的文件没有哪个指南用到：{unused[0]}")
    if manifest.total_bytes > MAX_SET_BYTES:
        raise CatalogueError(f"指南文件一共 {manifest.total_bytes} 字节，超过 {MAX_SET_BYTES} 字节")


def _describe(error: Exception) -> str:
    return f"缺少 {error.args[0]}" if isinstance(error, KeyError) else str(error)


def _guides_json(manifest: Manifest) -> bytes:
    return json.dumps({"version": 2, "items": list(manifest.guides)}, ensure_ascii=False, indent=2).encode()


class GuideSets:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._media_dir = folder / "media"
        self._sets = folder / "sets"
        self._read: tuple[tuple[int, int], Manifest] | None = None  # wanted.json as last read, by mtime and size

    # What is wanted, and what is in use

    def want(self, body: bytes) -> Manifest:
        """Keep ``body`` as the set to download, if it reads; else CatalogueError and the last one stays."""
        manifest = read_manifest(body)
        write_whole(self.folder / "wanted.json", body)
        return manifest

    def wanted(self) -> Manifest | None:
        path = self.folder / "wanted.json"
        try:
            seen = path.stat()
            stamp = (seen.st_mtime_ns, seen.st_size)
            if self._read is None or self._read[0] != stamp:  # asked several times a pass: read it once
                self._read = (stamp, read_manifest(path.read_bytes()))
        except (OSError, CatalogueError):
            return None
        return self._read[1]

    def in_use(self) -> InUse | None:
        """The set swapped in last, if it is still whole on disk."""
        try:
            raw = json.loads((self.folder / "current.json").read_text(encoding="utf-8"))
            folder = self._sets / str(raw["id"])
            found = InUse(str(raw["id"]), str(raw["name"]), str(raw["version"]), int(raw["guides"]),
                          float(raw["swapped_at"]), folder)  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return found if (folder / "guides.json").is_file() else None

    def downloading(self) -> Manifest | None:
        """The wanted set, while it is not the one in use."""
        wanted, current = self.wanted(), self.in_use()
        if wanted is None or (current is not None and current.id == wanted.id):
            return None
        return wanted

    # The download lane's side

    def missing(self, now: float | None = None) -> list[MediaFile]:
        """Files of the set downloading not yet in; with ``now``, only those not backing off."""
        manifest = self.downloading()
        if manifest is None:
            return []
        waits = self._status().get("retry", {})
        return [
            m
            for m in manifest.distinct_media()
            if not self._media(m.sha256).is_file() and (now is None or waits.get(m.sha256, [0, 0])[1] <= now)
        ]

    def part(self, media: MediaFile) -> Path:
        """Where ``media`` grows as it downloads (the folder made if need be)."""
        self._media_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self._part(media)

    def fetched(self, media: MediaFile) -> None:
        """A file came whole and checked out: it is kept under its hash."""
        self.part(media).replace(self._media(media.sha256))
        status = self._status()
        status.get("retry", {}).pop(media.sha256, None)
        self._put_status(status)

    def failed(self, media: MediaFile, reason: str, retry_at: float) -> None:
        """Note why ``media``'s download stopped, in plain words; it is not tried again before ``retry_at``."""
        status = self._status() | {"last_error": reason, "error_at": time.time()}
        status.setdefault("retry", {})[media.sha256] = [self.failures(media) + 1, retry_at]
        self._put_status(status)

    def failures(self, media: MediaFile) -> int:
        return int(self._status().get("retry", {}).get(media.sha256, [0, 0])[0])

    def swap(self) -> InUse | None:
        """Switch to the set downloading if all of it is in; the set now in use, or None if nothing changed."""
        manifest = self.downloading()
        if manifest is None or self.missing():
            return None
        changed = [m for m in manifest.distinct_media() if self._size(self._media(m.sha256)) != m.size]
        for media in changed:  # checked when it came: the disk has changed it since, so it comes again
            self._media(media.sha256).unlink()
        if changed:
            return None
        final = self._build(manifest)
        pointer = {"id": manifest.id, "name": manifest.name, "version": manifest.version,
                   "guides": len(manifest.guides), "swapped_at": time.time()}  # fmt: skip
        write_whole(self.folder / "current.json", json.dumps(pointer, ensure_ascii=False).encode())
        self._put_status({})
        self._tidy(manifest)
        return InUse(**pointer, folder=final)

    def progress(self) -> dict:
        """For ``kiosk guides status``: the set in use and the one downloading, with how far it has got."""
        current, manifest = self.in_use(), self.downloading()
        status = self._status()
        report: dict = {"in_use": None, "downloading": None}
        if current is not None:
            report["in_use"] = {"name": current.name, "version": current.version, "guides": current.guides,
                                "swapped_at": current.swapped_at}  # fmt: skip
        if manifest is not None:
            files = manifest.distinct_media()
            done = [m for m in files if self._media(m.sha256).is_file()]
            partial = sum(self._size(self._part(m)) for m in files if m not in done)
            got = sum(m.size for m in done) + partial
            report["downloading"] = {
                "name": manifest.name, "version": manifest.version, "guides": len(manifest.guides),
                "files_done": len(done), "files_total": len(files), "bytes_done": got,
                "bytes_total": manifest.total_bytes, "percent": int(100 * got / manifest.total_bytes),
                "last_error": status.get("last_error"),
            }  # fmt: skip
        return report

    # Inside

    def _media(self, digest: str) -> Path:
        return self._media_dir / digest

    def _part(self, media: MediaFile) -> Path:
        return self._media_dir / f"{media.sha256}.part"

    def _build(self, manifest: Manifest) -> Path:
        """The set as a folder the guide loader reads, from the verified media; only renamed in once whole."""
        staging, final = self._sets / f".staging-{manifest.id}", self._sets / manifest.id
        shutil.rmtree(staging, ignore_errors=True)
        for media in manifest.media:
            target = staging / MEDIA_FOLDER / media.file
            target.parent.mkdir(parents=True, exist_ok=True)
            source = self._media(media.sha256)
            try:
                os.link(source, target)  # the same bytes, no copy: a set costs its media once
            except OSError:
                shutil.copyfile(source, target)
        write_whole(staging / "guides.json", _guides_json(manifest))
        load_guides(staging)  # as the screens will read it
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
        sync_folder(self._sets)
        return final

    def _tidy(self, manifest: Manifest) -> None:
        """Keep the new set and the one before it; media the new set does not use go."""
        sets = sorted((p for p in self._sets.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in sets if p.name != manifest.id][KEPT_SETS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        kept = {m.sha256 for m in manifest.media}
        for path in self._media_dir.iterdir():
            if path.name.split(".")[0] not in kept:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _status(self) -> dict:
        try:
            status = json.loads((self.folder / "status.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return status if isinstance(status, dict) else {}

    def _put_status(self, status: dict) -> None:
        write_whole(self.folder / "status.json", json.dumps(status, ensure_ascii=False).encode())

    @staticmethod
    def _size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0


def write_manifest(folder: Path, name: str, version: str) -> tuple[Path, Manifest]:
    """For a county: ``folder``/guide_manifest.json from its guides.json and the files under guides/,
    each listed with its SHA-256 and size; checked as a kiosk will check it (CatalogueError if not)."""
    guides = _read_guides(folder / "guides.json")
    try:
        named = sorted({str(step["picture"]) for g in guides for step in g["steps"]}
                       | {str(g["video"]["file"]) for g in guides if g.get("video")})  # fmt: skip
    except (KeyError, TypeError) as error:
        raise CatalogueError(f"{folder / 'guides.json'}: 办事指南格式不对（{_describe(error)}）") from None
    media = []
    for file in named:
        path = folder / MEDIA_FOLDER / file
        try:
            with open(path, "rb") as data:
                digest = hashlib.file_digest(data, "sha256").hexdigest()
        except OSError:
            raise CatalogueError(f"{path}: 文件不存在") from None
        media.append({"file": file, "sha256": digest, "size": path.stat().st_size})
    body = json.dumps({"name": name, "version": version, "guides": guides, "media": media}, ensure_ascii=False,
                      indent=2).encode() + b"\n"  # fmt: skip
    manifest = read_manifest(body)
    out = folder / f"{MANIFEST}.json"
    write_whole(out, body)
    return out, manifest


def _read_guides(path: Path) -> list[dict]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        if not isinstance(items, list) or not all(isinstance(g, dict) for g in items):
            raise ValueError("items 应是指南的列表")
    except OSError:
        raise CatalogueError(f"{path}: 读不出来") from None
    except (ValueError, KeyError, TypeError) as error:
        raise CatalogueError(f"{path}: 办事指南格式不对（{_describe(error)}）") from None
    return items
