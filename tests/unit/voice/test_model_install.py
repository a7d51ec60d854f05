import hashlib
import zipfile

import pytest

from kiosk.cli import main
from kiosk.errors import KioskError
from kiosk.voice.model_install import install_model


def _archive(tmp_path, files, name="vosk-model-small-cn-0.22"):
    path = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for member, data in files.items():
            bundle.writestr(member, data)
    return path


MODEL = {"vosk-model-small-cn-0.22/am/final.mdl": b"am", "vosk-model-small-cn-0.22/conf/model.conf": b"conf"}


def test_installs_after_the_checksum_and_replaces_the_old_model_atomically(tmp_path, kiosk_data_dir):
    archive = _archive(tmp_path, MODEL)
    (archive.parent / (archive.name + ".sha256")).write_text(hashlib.sha256(archive.read_bytes()).hexdigest())
    old = kiosk_data_dir / "voice-model"
    (old / "am").mkdir(parents=True)
    (old / "am" / "final.mdl").write_bytes(b"old")
    target = install_model(archive, kiosk_data_dir)
    assert (target / "am" / "final.mdl").read_bytes() == b"am"
    assert sorted(p.name for p in kiosk_data_dir.iterdir()) == ["voice-model"]


@pytest.mark.parametrize(
    ("files", "checksum", "words"),
    [
        (MODEL, "0" * 64, "校验值不对"),
        ({"vosk-model/README": b"x"}, None, "不是完整的 Vosk 模型"),
        ({"../../etc/evil": b"x"}, None, "不安全的路径"),
    ],
)
def test_a_bad_archive_leaves_the_installed_model_untouched(tmp_path, kiosk_data_dir, files, checksum, words):
    archive = _archive(tmp_path, files)
    installed = kiosk_data_dir / "voice-model" / "am"
    installed.mkdir(parents=True)
    (installed / "final.mdl").write_bytes(b"old")
    with pytest.raises(KioskError, match=words):
        install_model(archive, kiosk_data_dir, checksum or hashlib.sha256(archive.read_bytes()).hexdigest())
    assert (installed / "final.mdl").read_bytes() == b"old"
    assert sorted(p.name for p in kiosk_data_dir.iterdir()) == ["voice-model"]


def test_cli_without_a_checksum_says_how_to_give_one(tmp_path, capsys):
    archive = _archive(tmp_path, MODEL)
    assert main(["voice", "install-model", str(archive)]) == 2
    assert "--sha256" in capsys.readouterr().err
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert main(["voice", "install-model", str(archive), "--sha256", digest, "--json"]) == 0
