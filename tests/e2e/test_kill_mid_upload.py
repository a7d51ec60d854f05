"""kill -9 of the relay in the middle of a photo over a slow link: after a restart it resumes, not restarts."""

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from kiosk.store.store import open_store
from tests.helpers.backlog import KIB
from tests.helpers.link import dies_with_the_test, until
from tests.helpers.photos import camera_photo

pytestmark = pytest.mark.slow


def test_killed_mid_photo_the_relay_resumes_from_the_acknowledged_offset(kiosk_data_dir, province, emulated_link):
    link = emulated_link(province, 16 * KIB, 64 * KIB, latency_ms=300)
    photo = camera_photo(400, seed=9)
    digest = hashlib.sha256(photo).hexdigest()
    store = open_store(kiosk_data_dir)
    queued = store.outbox.enqueue("farm_listing", {"product": "fruit"}, attachments={"photo": photo})
    store.close()
    held = lambda: province.province.attachment_progress(digest)["received"]  # noqa: E731
    env = dict(os.environ, KIOSK_PROVINCIAL_URL=link.url)
    command = [sys.executable, "-m", "kiosk", "sync"]

    relay = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=dies_with_the_test)
    until(lambda: held() >= 120 * KIB, 120, "the upload never got going", relay)
    relay.send_signal(signal.SIGKILL)
    relay.wait()
    relay.stderr.close()
    until(lambda: link.counters.open == 0, 60, "the killed relay's connection never closed")
    resumed_from, sent_before = held(), link.counters.up_bytes
    assert 120 * KIB <= resumed_from < len(photo), "the kill did not land mid-photo"

    relay = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=dies_with_the_test)
    try:
        until(
            lambda: province.province.attachment_progress(digest)["complete"], 120, "the photo never completed", relay
        )
    finally:
        relay.send_signal(signal.SIGTERM)
        relay.communicate(timeout=60)
    sent_after = link.counters.up_bytes - sent_before
    rest = len(photo) - resumed_from
    assert rest <= sent_after <= rest + 8 * KIB  # the rest and the requests' headers: nothing sent twice
    data = province.province.conn.execute("SELECT data FROM attachments WHERE hash = ?", (digest,)).fetchone()[0]
    assert hashlib.sha256(data).hexdigest() == digest
    submissions = province.province.submissions()
    assert [s["id"] for s in submissions["submissions"]] == [queued.id]
