"""kill -9 of the relay in the middle of a guide set's download over a slow link: the next one resumes
from the bytes on disk, and the set is swapped in whole."""

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from kiosk.paths import offline_cache_dir
from kiosk.services.reference import ReferenceFiles
from tests.helpers.backlog import KIB
from tests.helpers.guide_sets import manifest_of
from tests.helpers.link import dies_with_the_test, until

pytestmark = pytest.mark.slow


def test_killed_mid_download_the_next_relay_resumes_from_the_bytes_on_disk(kiosk_data_dir, province, emulated_link):
    link = emulated_link(province, down_rate=32 * KIB, latency_ms=100)
    county = province.province.guide_set
    media = manifest_of(county)["media"]
    total = sum(m["size"] for m in media)
    sets = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir()).guide_sets
    on_disk = lambda: (sets.progress()["downloading"] or {}).get("bytes_done", 0)  # noqa: E731
    env = dict(os.environ, KIOSK_PROVINCIAL_URL=link.url)
    command = [sys.executable, "-m", "kiosk", "sync"]

    relay = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=dies_with_the_test)
    until(lambda: on_disk() >= total // 3, 120, "the download never got going", relay)
    down_at_start = link.counters.down_bytes  # the reference lists and the manifest came before the media
    relay.send_signal(signal.SIGKILL)
    relay.wait()
    relay.stderr.close()
    until(lambda: link.counters.open == 0, 60, "the killed relay's connection never closed")
    resumed_from = on_disk()
    assert total // 3 <= resumed_from < total and sets.in_use() is None, "the kill did not land mid-set"
    down_before = link.counters.down_bytes

    relay = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=dies_with_the_test)
    try:
        until(lambda: sets.in_use() is not None, 120, "the set was never swapped in", relay)
    finally:
        relay.send_signal(signal.SIGTERM)
        relay.communicate(timeout=60)
    fetched_after = link.counters.down_bytes - down_before
    rest = total - resumed_from
    assert rest <= fetched_after <= rest + 16 * KIB  # the rest and the replies' headers: nothing fetched twice
    assert link.counters.down_bytes - down_at_start < total * 1.5
    in_use = sets.in_use()
    for entry in media:
        shown = in_use.folder / "guides" / entry["file"]
        assert hashlib.sha256(shown.read_bytes()).hexdigest() == entry["sha256"]
