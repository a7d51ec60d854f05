"""Install a Vosk model from an archive a technician brought: checksum first, then an atomic swap.

The Chinese model is on no package registry, so it travels as a zip (e.g. vosk-model-small-cn-0.22.zip)
with its SHA-256 beside it (``ARCHIVE.sha256``) or given on the command line. Nothing replaces
the model in use until the new one is unpacked and complete.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from kiosk.errors import InvalidInput, KioskError
from kiosk.voice.pack import sha256_of
from kiosk.voice.recognizer import check_model_dir

MODEL_DIR_NAME = "voice-model"


def expected_checksum(archive: Path, given: str | None) -> str:
    if given:
        return given.strip().lower()
    beside = archive.with_name(archive.name + ".sha256")
    if beside.exists():
        return beside.read_text(encoding="utf-8").split()[0].lower()
    raise InvalidInput(f"没有校验值：请用 --sha256 给出，或把 {beside.name} 放在压缩包旁边")


def install_model(archive: Path, data_dir: Path, checksum: str | None = None) -> Path:
    if not archive.is_file():
        raise InvalidInput(f"找不到模型压缩包：{archive}")
    want = expected_checksum(archive, checksum)
    got = sha256_of(archive)
    if got != want:
        raise KioskError(f"校验值不对：压缩包可能损坏或被换过（应为 {want[:12]}…，实为 {got[:12]}…）")
    target = data_dir / MODEL_DIR_NAME
    staging = Path(tempfile.mkdtemp(prefix=".voice-model-", dir=data_dir))
    try:
        root = _unpack(archive, staging)
        check_model_dir(root)
        old = data_dir / f".{MODEL_DIR_NAME}-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        root.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _unpack(archive: Path, staging: Path) -> Path:
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.namelist():
                parts = PurePosixPath(member).parts
                if member.startswith("/") or ".." in parts:
                    raise KioskError(f"压缩包里有不安全的路径：{member}")
            bundle.extractall(staging)
    except zipfile.BadZipFile:
        raise KioskError(f"{archive.name} 不是 zip 压缩包") from None
    entries = [p for p in staging.iterdir()]
    # Model archives usually hold one top-level folder named after the model.
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
