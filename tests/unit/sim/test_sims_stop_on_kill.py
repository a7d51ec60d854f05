"""The simulators started with ``&`` from a script (SIGINT ignored) stop cleanly on ``kill`` (SIGTERM)."""

import signal
import subprocess
import sys

import pytest


def _without_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what a shell does to a job started with & in a script


def _stopped_by_kill(argv: list[str]) -> tuple[str, subprocess.CompletedProcess]:
    sim = subprocess.Popen(
        [sys.executable, "-m", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_without_sigint,
    )
    try:
        first = sim.stdout.readline()
        sim.send_signal(signal.SIGTERM)
        out, err = sim.communicate(timeout=15)
    finally:
        if sim.poll() is None:
            sim.kill()
            sim.wait()
    return first, subprocess.CompletedProcess(argv, sim.returncode, out, err)


def test_the_link_sim_stops_on_kill_and_prints_what_it_carried(province):
    first, done = _stopped_by_kill(["kiosk.sim.link", "--to", str(province.port)])
    assert first.startswith("kiosk-link-sim: listening on")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "0 connections, 0 cut, 0 bytes up, 0 bytes down" in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["kiosk.sim.provincial", "--port", "0", "--db", "{tmp}/p.db"], id="provincial"),
        pytest.param(["kiosk.sim.idcard", "--link", "{tmp}/idcard"], id="idcard"),
    ],
)
def test_the_other_sims_stop_on_kill_with_exit_zero(argv, tmp_path):
    first, done = _stopped_by_kill([arg.replace("{tmp}", str(tmp_path)) for arg in argv])
    assert first.strip()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
