"""A voice pack: the station's own recordings of the kiosk's lines, one WAV file per line key.

    PACK/manifest.json      {"format": 1, "dialect", "speaker", "date",
                             "lines": {KEY: {"file", "sha256", "text", "speaker", "date"}}}
    PACK/clips/KEY.wav

Each recording keeps the text it was made for: when a county rewords a line, the old recording is
"stale" and the kiosk says the new text by text-to-speech until someone records it again. A pack is
checked whole (every file present, every SHA-256 as in the manifest, every file a readable mono WAV)
before it is installed; the installed pack lives in the data directory and is replaced atomically.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kiosk.errors import InvalidInput, KioskError
from kiosk.files import make_private, write_whole
from kiosk.voice.lines import KEY, Line, LineRegistry

FORMAT = 1
MANIFEST = "manifest.json"
CLIPS = "clips"
MAX_CLIP_SECONDS = 60
RATES = (8000, 16000, 22050, 24000, 32000, 44100, 48000)


class PackError(KioskError):
    pass


@dataclass(frozen=True)
class Recording:
    key: str
    file: str
    sha256: str
    text: str
    speaker: str = ""
    date: str = ""


@dataclass(frozen=True)
class Coverage:
    recorded: int
    total: int
    stale: tuple[str, ...] = ()
    by_group: dict[str, tuple[int, int]] = field(default_factory=dict)  # group: (recorded, total)

    def as_dict(self) -> dict:
        groups = {group: {"recorded": r, "total": t} for group, (r, t) in self.by_group.items()}
        return {"recorded": self.recorded, "total": self.total, "stale": list(self.stale), "by_group": groups}


def sha256_of(path: Path) -> str:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


class VoicePack:
    def __init__(
        self,
        folder: Path,
        dialect: str = "",
        speaker: str = "",
        date: str = "",
        recordings: dict[str, Recording] | None = None,
    ) -> None:
        self.folder = folder
        self.dialect = dialect
        self.speaker = speaker
        self.date = date
        self.recordings: dict[str, Recording] = dict(recordings or {})

    @classmethod
    def open(cls, folder: Path) -> VoicePack:
        """The pack in ``folder``; an empty one if there is none yet. A malformed manifest is a PackError."""
        path = folder / MANIFEST
        if not path.exists():
            return cls(folder)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise PackError(f"{path}: 不认识的录音包格式 {raw.get('format')!r}（应为 {FORMAT}）")
            recordings = {}
            for key, entry in raw["lines"].items():
                recordings[key] = Recording(
                    key,
                    str(entry["file"]),
                    str(entry["sha256"]).lower(),
                    str(entry["text"]),
                    str(entry.get("speaker", "")),
                    str(entry.get("date", "")),
                )
            return cls(
                folder, str(raw.get("dialect", "")), str(raw.get("speaker", "")), str(raw.get("date", "")), recordings
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            if isinstance(error, PackError):
                raise
            raise PackError(f"{path}: 清单读不出来（{error}）") from None

    def clip(self, line: Line) -> Path | None:
        """The recording of ``line`` if the pack has one that says its current text."""
        recording = self.recordings.get(line.key)
        if recording is None or recording.text != line.text:
            return None
        path = self.folder / recording.file
        return path if path.is_file() else None

    def coverage(self, registry: LineRegistry) -> Coverage:
        recorded, stale, groups = 0, [], {}
        for line in registry:
            have = self.clip(line) is not None
            done, total = groups.get(line.group, (0, 0))
            groups[line.group] = (done + have, total + 1)
            recorded += have
            if not have and line.key in self.recordings:
                stale.append(line.key)
        return Coverage(recorded, len(registry), tuple(stale), groups)

    def problems(self) -> list[str]:
        """Everything wrong with the files: missing, hash not as in the manifest, unsafe name, not a usable WAV."""
        found = []
        for key, recording in sorted(self.recordings.items()):
            if not KEY.match(key) or not _safe(recording.file):
                found.append(f"{key}: 文件名不安全（{recording.file}）")
                continue
            path = self.folder / recording.file
            if not path.is_file():
                found.append(f"{key}: 缺文件 {recording.file}")
            elif sha256_of(path) != recording.sha256:
                found.append(f"{key}: {recording.file} 的 SHA-256 与清单不符")
            elif (trouble := wav_trouble(path)) is not None:
                found.append(f"{key}: {trouble}")
        return found

    def record(self, line: Line, wav_bytes: bytes, speaker: str, date: str | None = None) -> Recording:
        """Keep a recording of ``line`` (a WAV file's bytes, already trimmed and normalised) in the pack."""
        clips = self.folder / CLIPS
        clips.mkdir(parents=True, exist_ok=True)
        name = f"{CLIPS}/{line.key}.wav"
        write_whole(self.folder / name, wav_bytes)
        digest = hashlib.sha256(wav_bytes).hexdigest()
        recording = Recording(line.key, name, digest, line.text, speaker, date or _today())
        self.recordings[line.key] = recording
        self.save()
        return recording

    def forget(self, key: str) -> bool:
        recording = self.recordings.pop(key, None)
        if recording is None:
            return False
        self.save()
        (self.folder / recording.file).unlink(missing_ok=True)
        return True

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {
            "format": FORMAT,
            "dialect": self.dialect,
            "speaker": self.speaker,
            "date": self.date or _today(),
            "lines": {
                key: {"file": r.file, "sha256": r.sha256, "text": r.text, "speaker": r.speaker, "date": r.date}
                for key, r in sorted(self.recordings.items())
            },
        }
        write_whole(self.folder / MANIFEST, json.dumps(body, ensure_ascii=False, indent=1).encode())
        make_private(self.folder)  # recordings kept from before they were written for the kiosk alone


def wav_trouble(path: Path) -> str | None:
    import soundfile

    try:
        info = soundfile.info(str(path))
    except (RuntimeError, soundfile.LibsndfileError) as error:
        return f"{path.name} 不是能读的声音文件（{error}）"
    if info.channels != 1:
        return f"{path.name} 是 {info.channels} 声道：录音应为单声道"
    if info.samplerate not in RATES:
        return f"{path.name} 的采样率 {info.samplerate} Hz 不支持（可用 {', '.join(map(str, RATES))}）"
    if info.duration > MAX_CLIP_SECONDS:
        return f"{path.name} 长 {info.duration:.0f} 秒：一句录音不应超过 {MAX_CLIP_SECONDS} 秒"
    return None


@dataclass(frozen=True)
class Imported:
    folder: Path
    dialect: str
    added: int
    replaced: int
    kept: int


def import_pack(source: Path, target: Path) -> Imported:
    """Check ``source`` (a pack folder, or a .zip from ``export_pack``) whole, then install it at ``target``.

    A pack of the installed dialect is merged: its recordings replace the same lines and the station's
    own recordings of other lines stay. A pack of another dialect replaces the installed one. Nothing
    changes unless every file of ``source`` is sound.
    """
    with tempfile.TemporaryDirectory(prefix=".voice-pack-", dir=target.parent) as tmp:
        folder = _unpacked(source, Path(tmp) / "source")
        incoming = VoicePack.open(folder)
        if not (folder / MANIFEST).exists():
            raise PackError(f"{source} 里没有 {MANIFEST}：不是录音包")
        problems = incoming.problems()
        if problems:
            more = f"（另有 {len(problems) - 3} 处）" if len(problems) > 3 else ""
            raise PackError(f"录音包不完整或被改过，没有安装：{'；'.join(problems[:3])}{more}")
        installed = VoicePack.open(target) if (target / MANIFEST).exists() else None
        staging = Path(tmp) / "staging"
        if installed is not None and installed.dialect == incoming.dialect:
            shutil.copytree(target, staging)
        else:
            staging.mkdir()
        merged = VoicePack.open(staging)
        before = set(merged.recordings)
        merged.dialect, merged.speaker, merged.date = incoming.dialect, incoming.speaker, incoming.date
        for key, recording in incoming.recordings.items():
            write_whole(staging / CLIPS / f"{key}.wav", (folder / recording.file).read_bytes())
            merged.recordings[key] = Recording(
                key,
                f"{CLIPS}/{key}.wav",
                recording.sha256,
                recording.text,
                recording.speaker or incoming.speaker,
                recording.date or incoming.date,
            )
        merged.save()
        _swap(staging, target)
    replaced = len(before & set(incoming.recordings))
    return Imported(target, incoming.dialect, len(incoming.recordings) - replaced, replaced, len(before) - replaced)


def export_pack(folder: Path, out: Path) -> int:
    """Write the pack at ``folder`` as a zip that ``import_pack`` (and build_bundle.py) accept."""
    pack = VoicePack.open(folder)
    if not pack.recordings:
        raise PackError(f"{folder} 里还没有录音，没有可导出的")
    problems = pack.problems()
    if problems:
        raise PackError(f"录音包有问题，先修好再导出：{problems[0]}")
    partial = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / MANIFEST, MANIFEST)
        for recording in pack.recordings.values():
            archive.write(folder / recording.file, recording.file)
    partial.replace(out)
    return len(pack.recordings)


def _unpacked(source: Path, into: Path) -> Path:
    if source.is_dir():
        return source
    if not source.is_file():
        raise InvalidInput(f"找不到录音包：{source}")
    try:
        with zipfile.ZipFile(source) as archive:
            for member in archive.namelist():
                if not _safe(member.rstrip("/")):
                    raise PackError(f"压缩包里有不安全的路径：{member}")
            archive.extractall(into)
    except zipfile.BadZipFile:
        raise InvalidInput(f"{source.name} 既不是录音包文件夹，也不是 zip 压缩包") from None
    return into


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _swap(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _today() -> str:
    return datetime.date.today().isoformat()
