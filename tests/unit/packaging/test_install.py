"""The offline bundle and install.sh, installed into a temporary root; the units checked by systemd."""

import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers.backlog import PENSION_QUERY

REPO = Path(__file__).resolve().parents[3]
UNITS = ("kiosk-ui.service", "kiosk-relay.service")
pytestmark = pytest.mark.slow


def _builder():
    spec = importlib.util.spec_from_file_location("build_bundle", REPO / "packaging" / "build_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _county_pack(folder: Path) -> Path:
    """A county's dialect pack of two recorded lines."""
    import numpy as np

    from kiosk.voice.audio import to_wav_bytes
    from kiosk.voice.pack import VoicePack
    from kiosk.voice.planner import station_registry

    registry = station_registry()
    pack = VoicePack(folder, dialect="客家话（四县腔）", speaker="张桂英", date="2025-06-01")
    for key in ("service.guides.label", "block.digit.1"):
        pack.record(registry.get(key), to_wav_bytes(np.zeros(8000, dtype=np.float32), 16000), "张桂英")
    return folder


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    pack = _county_pack(tmp_path_factory.mktemp("county") / "pack")
    return _builder().build(tmp_path_factory.mktemp("dist"), None, True, None, voice_pack=pack)


def _root_with_dependencies(root: Path) -> Path:
    """A kiosk venv in ``root`` whose dependencies are this test run's (the bundle here holds only the app):
    install.sh still resolves them for real, offline, and installs the kiosk's own wheel."""
    env_dir = root / "opt" / "village-kiosk" / "venv"
    venv.create(env_dir, with_pip=True)
    site = next(env_dir.glob("lib/python3*/site-packages"))
    ours = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "PySide6").exists())
    (site / "test-dependencies.pth").write_text(f"{ours}\n")
    return env_dir / "bin"


def _install(bundle, root, *extra):
    return subprocess.run(
        ["bash", str(REPO / "packaging" / "install.sh"), "--offline", str(bundle), "--root", str(root), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _kiosk(root, *args):
    """The technician's ``kiosk`` command as install.sh put it on the PATH: it knows the installed paths."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    command = [str(root / "usr/local/bin/kiosk"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, timeout=120)


def test_bundle_holds_everything_install_needs_and_a_manifest(bundle):
    with tarfile.open(bundle) as tar:
        names = set(tar.getnames())
    top = "village-kiosk-0.1.0"
    for part in (
        "install.sh",
        "debian-packages.txt",
        "VERSION",
        "MANIFEST.sha256",
        "systemd/kiosk-ui.service",
        "session/kiosk-session",
        "assets/fonts/KioskSansSC-Regular.otf",
        "offline_cache/catalogue.json",
        "voice-model/README.txt",
        "wheelhouse/village_kiosk-0.1.0-py3-none-any.whl",
        "voice-pack/manifest.json",
        "voice-pack/clips/block.digit.1.wav",
    ):
        assert f"{top}/{part}" in names, part


def test_the_wheel_holds_every_file_the_package_reads_besides_its_python(bundle):
    """The keyboard's QML and layouts, the phrases, the contract: a file left out of the wheel works from
    the source tree and is missing only on an installed kiosk (an empty keyboard)."""
    with tarfile.open(bundle) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(".whl"))
        shipped = set(zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read())).namelist())
    listed = subprocess.run(["git", "ls-files", "kiosk"], cwd=REPO, capture_output=True, text=True, check=True)
    wanted = {name for name in listed.stdout.split() if not name.endswith(".py")}
    assert "kiosk/ui/keyboard_layouts/zh_CN/main.qml" in wanted
    assert wanted - shipped == set()


def test_install_into_a_root_then_again_keeps_data_keys_and_config(bundle, tmp_path):
    root = tmp_path / "root"
    bin_dir = _root_with_dependencies(root)
    first = _install(bundle, root)
    assert first.returncode == 0, first.stderr
    assert (root / "var/lib/kiosk").stat().st_mode & 0o777 == 0o700
    assert (root / "etc/kiosk/kiosk.toml").stat().st_mode & 0o777 == 0o640
    assert all((root / "etc/systemd/system" / unit).exists() for unit in UNITS)
    assert os.access(root / "opt/village-kiosk/bin/kiosk-session", os.X_OK)
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import kiosk; print(kiosk.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(root)), "the kiosk runs from the installed wheel, not the source tree"
    doctor = _kiosk(root, "doctor", "--json", "--only", "config", "--only", "font", "--only", "database")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    config_check = json.loads(doctor.stdout)["checks"][0]
    assert str(root / "etc/kiosk/kiosk.toml") in config_check["detail"] + config_check["fix"]

    pack = _kiosk(root, "voice", "pack", "status", "--json")
    assert json.loads(pack.stdout)["recorded"] == 2 and json.loads(pack.stdout)["dialect"] == "客家话（四县腔）"

    queued = _kiosk(
        root,
        *PENSION_QUERY,
        "--json",
    )
    assert queued.returncode == 0, queued.stderr
    key = (root / "var/lib/kiosk/kiosk.key").read_bytes()
    config = root / "etc/kiosk/kiosk.toml"
    config.write_text('kiosk_id = "HN-0101"\nstation_name = "石桥村"\n', encoding="utf-8")

    again = _install(bundle, root)
    assert again.returncode == 0, again.stderr
    assert "kept" in again.stdout
    assert (root / "var/lib/kiosk/kiosk.key").read_bytes() == key
    assert config.read_text(encoding="utf-8").startswith('kiosk_id = "HN-0101"')
    shown = _kiosk(root, "queue", "show", json.loads(queued.stdout)["id"], "--json")
    assert json.loads(shown.stdout)["state"] == "queued"


def test_a_damaged_bundle_is_refused_before_anything_is_touched(bundle, tmp_path):
    unpacked = tmp_path / "unpacked"
    with tarfile.open(bundle) as tar:
        tar.extractall(unpacked, filter="data")
    top = next(unpacked.iterdir())
    with open(top / "offline_cache" / "catalogue.json", "a", encoding="utf-8") as catalogue:
        catalogue.write(" ")
    root = tmp_path / "root"
    result = _install(top, root)
    assert result.returncode == 1
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "opt").exists()


def test_a_damaged_voice_pack_never_gets_into_a_bundle(tmp_path):
    pack = _county_pack(tmp_path / "pack")
    with open(pack / "clips" / "block.digit.1.wav", "ab") as clip:
        clip.write(b"\0")
    builder = _builder()
    with pytest.raises(builder.BuildError, match="SHA-256"):
        builder._add_voice_pack(pack, tmp_path / "bundle-pack")
    assert not (tmp_path / "bundle-pack").exists()


def test_units_pass_systemd_analyze_verify_and_a_typo_would_not(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is installed by ./dev (package systemd)"
    opt = tmp_path / "opt" / "village-kiosk"
    for program in ("bin/kiosk-session", "venv/bin/kiosk"):
        (opt / program).parent.mkdir(parents=True, exist_ok=True)
        (opt / program).write_text("#!/bin/sh\n")
        (opt / program).chmod(0o755)
    units = []
    for unit in UNITS:
        text = (REPO / "packaging" / "systemd" / unit).read_text(encoding="utf-8")
        target = tmp_path / unit
        target.write_text(text.replace("/opt/village-kiosk", str(opt)), encoding="utf-8")
        units.append(str(target))
    verified = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
    assert (verified.returncode, verified.stderr) == (0, "")  # systemd only warns about what it ignores
    broken = tmp_path / "kiosk-ui.service"
    broken.write_text(broken.read_text(encoding="utf-8").replace("WatchdogSec=30", "WatchdogSec=soon"))
    typo = subprocess.run([analyze, "verify", str(broken)], capture_output=True, text=True)
    assert "Failed to parse" in typo.stderr


def test_session_without_cage_says_what_to_install_in_one_line(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))
    result = subprocess.run([str(REPO / "packaging/session/kiosk-session")], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "apt-get install cage" in result.stderr


def test_session_runs_only_the_kiosk_in_cage_with_the_kiosk_users_sound(tmp_path):
    cage = tmp_path / "cage"
    cage.write_text('#!/bin/sh\necho "$@"\necho "$QT_QPA_PLATFORM $PULSE_SERVER $PIPEWIRE_RUNTIME_DIR $WLR_RENDERER"\n')
    cage.chmod(0o755)
    env = dict(os.environ, PATH=f"{tmp_path}:{os.environ['PATH']}")
    result = subprocess.run([str(REPO / "packaging/session/kiosk-session")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    arguments, environment = result.stdout.splitlines()
    assert arguments == "-d -- /opt/village-kiosk/venv/bin/kiosk run"  # no -s: no switching to a console
    user_runtime = f"/run/user/{os.getuid()}"
    assert environment == f"wayland unix:{user_runtime}/pulse/native {user_runtime} pixman"
