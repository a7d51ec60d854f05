"""The VM test says everything it lacks before it starts, instead of dying 20 minutes in."""

import importlib.util
import subprocess
import sys

from kiosk.paths import offline_cache_dir

BOOT_TEST = offline_cache_dir().parent / "packaging" / "vmtest" / "boot_test.py"


def _module():
    spec = importlib.util.spec_from_file_location("boot_test", BOOT_TEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_pyside_tools_and_bundle_are_all_named_with_their_fix(tmp_path):
    boot_test = _module()
    args = boot_test.argparse.Namespace(bundle=tmp_path / "none.tar.gz", accel="tcg", work=tmp_path, installed=False)
    problems = boot_test.preflight(args, which=lambda tool: None, has_module=lambda name: False)
    text = "\n".join(problems)
    assert "PySide6" in text and "sudo .venv/bin/python packaging/vmtest/boot_test.py" in text
    assert "apt-get install qemu-system-x86" in text and "apt-get install debootstrap" in text
    assert "build_bundle.py" in text
    args.bundle.write_bytes(b"bundle")
    ready = boot_test.preflight(args, which=lambda tool: "/usr/bin/" + tool, has_module=lambda name: True)
    assert [problem for problem in ready if "root" not in problem] == []


def test_a_run_without_what_it_needs_stops_at_once_with_exit_2(tmp_path):
    run = subprocess.run(
        [sys.executable, str(BOOT_TEST), str(tmp_path / "none.tar.gz"), "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 2 and "no bundle at" in run.stderr
    assert not (tmp_path / "debian12-root").exists() and "Traceback" not in run.stderr
