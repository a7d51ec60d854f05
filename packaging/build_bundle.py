"""Build the offline install bundle: one .tar.gz a technician carries to a kiosk with no network.

    python packaging/build_bundle.py [--out dist] [--voice-model vosk-model-small-cn-0.22.zip]
                                     [--voice-pack DIR] [--wheelhouse DIR] [--app-only]

Inside: a wheelhouse (the kiosk and every dependency, built with ``pip wheel``), the bundled font
and icons, the shipped offline cache, the systemd units and screen session, install.sh, the
list of Debian packages, a slot for the Vosk model archive, the county's dialect voice pack if
given (checked whole first: every recording's SHA-256 as in its manifest), and MANIFEST.sha256 that
install.sh checks before touching anything. Building needs the network (PyPI) unless ``--wheelhouse``
already holds every wheel; installing never does. Build on the kiosks' platform (Debian 12,
x86_64, Python 3.11): ``pip wheel`` builds wheels for this machine.

``--app-only`` leaves out the dependencies (a bundle for tests and for upgrading a kiosk whose
dependencies did not change).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
SHARED = ("assets", "offline_cache", "README.md")
VOICE_SLOT = """\
Put the Vosk model archive here (e.g. vosk-model-small-cn-0.22.zip, from the county's USB stick)
with its .sha256 beside it; install.sh installs it with `kiosk voice install-model`.
Without one the kiosk works by touch only.
"""


class BuildError(Exception):
    pass


def version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def build(
    out_dir: Path, wheelhouse: Path | None, app_only: bool, voice_model: Path | None, voice_pack: Path | None = None
) -> Path:
    name = f"village-kiosk-{version()}"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        root.mkdir()
        _wheels(root / "wheelhouse", wheelhouse, app_only)
        for item in SHARED:
            source = REPO / item
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / item)
        for item in ("systemd", "session"):
            shutil.copytree(PACKAGING / item, root / item)
        for item in ("install.sh", "debian-packages.txt", "debian-session-packages.txt"):
            shutil.copy2(PACKAGING / item, root / item)
        (root / "VERSION").write_text(version() + "\n", encoding="utf-8")
        slot = root / "voice-model"
        slot.mkdir()
        (slot / "README.txt").write_text(VOICE_SLOT, encoding="utf-8")
        if voice_model is not None:
            _add_voice_model(voice_model, slot)
        if voice_pack is not None:
            _add_voice_pack(voice_pack, root / "voice-pack")
        _write_manifest(root)
        archive = out_dir / f"{name}-bundle.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(root, arcname=name)
    return archive


def _wheels(target: Path, wheelhouse: Path | None, app_only: bool) -> None:
    target.mkdir()
    _pip("wheel", "--no-deps", "--wheel-dir", str(target), str(REPO))
    if app_only:
        return
    if wheelhouse is not None:
        for wheel in wheelhouse.glob("*.whl"):
            if not (target / wheel.name).exists():
                shutil.copy2(wheel, target)
        # Proves the wheelhouse is complete: pip resolves everything from it alone.
        _pip("wheel", "--no-index", "--find-links", str(target), "--wheel-dir", str(target), str(REPO))
    else:
        _pip("wheel", "--wheel-dir", str(target), str(REPO))


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "-q", *args], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise BuildError(f"pip {args[0]} failed: {last}")


def _add_voice_model(archive: Path, slot: Path) -> None:
    if not archive.is_file() or archive.suffix != ".zip":
        raise BuildError(f"{archive} is not a .zip model archive")
    shutil.copy2(archive, slot / archive.name)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (slot / f"{archive.name}.sha256").write_text(f"{digest}  {archive.name}\n", encoding="utf-8")


def _add_voice_pack(folder: Path, target: Path) -> None:
    """The county's recordings, checked as ``kiosk voice pack import`` will check them on every kiosk."""
    sys.path.insert(0, str(REPO))
    try:
        from kiosk.voice.pack import MANIFEST, PackError, VoicePack
    except ImportError as error:
        raise BuildError(f"checking the voice pack needs the kiosk's Python environment (./dev): {error}") from None
    if not (folder / MANIFEST).is_file():
        raise BuildError(f"{folder} is not a voice pack (no {MANIFEST})")
    try:
        pack = VoicePack.open(folder)
    except PackError as error:
        raise BuildError(error.message) from None
    problems = pack.problems()
    if problems:
        raise BuildError(f"voice pack {folder} is damaged: {problems[0]}")
    target.mkdir()
    shutil.copy2(folder / MANIFEST, target / MANIFEST)
    for recording in pack.recordings.values():
        (target / recording.file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / recording.file, target / recording.file)


def _write_manifest(root: Path) -> None:
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(root).as_posix()}")
    (root / "MANIFEST.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--wheelhouse", type=Path, help="wheels already downloaded (skips PyPI if complete)")
    parser.add_argument("--app-only", action="store_true", help="only the kiosk's own wheel")
    parser.add_argument("--voice-model", type=Path, help="a Vosk model .zip to carry in the bundle")
    parser.add_argument("--voice-pack", type=Path, help="the county's dialect voice pack folder (every kiosk gets it)")
    args = parser.parse_args(argv)
    try:
        archive = build(args.out, args.wheelhouse, args.app_only, args.voice_model, args.voice_pack)
    except (BuildError, OSError) as error:
        print(f"build_bundle: {error}", file=sys.stderr)
        return 1
    print(archive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
