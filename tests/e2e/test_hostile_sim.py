"""The commands a technician types, against ``kiosk-provincial-sim --hostile``: no traceback, nothing lost."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.helpers.backlog import PENSION_QUERY

pytestmark = pytest.mark.slow


def _kiosk(*args, env):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("kind", ["wrong-type", "nested", "gzip-bomb", "redirect", "infinite-time"])
def test_kiosk_sync_once_against_a_hostile_province_keeps_the_request_and_says_so(tmp_path, kind):
    sim = subprocess.Popen(
        [sys.executable, "-m", "kiosk.sim.provincial", "--port", "0", "--db", str(tmp_path / "p.db"),
         "--hostile", kind],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        port = re.search(r":(\d+)", sim.stdout.readline()).group(1)
        env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data"), KIOSK_PROVINCIAL_URL=f"http://127.0.0.1:{port}")
        queued = json.loads(
            _kiosk(
                *PENSION_QUERY,
                "--json",
                env=env,
            ).stdout
        )
        synced = _kiosk("sync", "--once", "--json", env=env)
        assert synced.returncode == 0 and "Traceback" not in synced.stderr
        assert json.loads(synced.stdout)["accepted"] == 0
        shown = json.loads(_kiosk("queue", "show", queued["id"], "--json", env=env).stdout)
        assert shown["state"] == "queued" and shown["provincial_receipt"] is None
    finally:
        sim.terminate()
        sim.wait(10)
