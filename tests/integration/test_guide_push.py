"""Guides pushed by the county: the manifest by ETag, its media through the download lane over an
emulated village link, and the swap to the new set only once every file is in and checks out."""

import hashlib
import logging
from typing import ClassVar

import pytest

from kiosk.config import Config
from kiosk.paths import offline_cache_dir
from kiosk.services.reference import ReferenceFiles
from kiosk.sim.provincial import Handler
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.backlog import KIB
from tests.helpers.guide_sets import OLD_LABEL, manifest_of, old_set, sample_set

PASSES = 60  # far more relay passes than a cut link needs: only a stuck download gets near it


@pytest.fixture
def references(kiosk_data_dir):
    return ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())


def _relay(store, url, references, province, clock=None):
    config = Config(provincial_url=url, sync=province.config().sync)
    clocked = {"clock": clock} if clock else {}
    return Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings, references=references,
                 guide_media=references.guide_sets, **clocked)  # fmt: skip


def _until_swapped(relay, references, wanted_version):
    for _ in range(PASSES):
        relay.run_once()
        in_use = references.guide_sets.in_use()
        if in_use is not None and in_use.version == wanted_version:
            return in_use
    pytest.fail(f"set {wanted_version} never swapped in: {references.guide_sets.progress()}")


def _labels(references):
    return [g.label for g in references.guides()]


def test_a_new_set_comes_over_a_slow_cut_link_and_is_shown_only_once_whole(
    tmp_path, province, emulated_link, store, references
):
    province.province.guide_set = old_set(tmp_path / "old")
    link = emulated_link(province, down_rate=48 * KIB, latency_ms=40, cut_after=(24 * KIB, 56 * KIB), seed=3)
    relay = _relay(store, link.url, references, province)
    relay.refresh_references()
    _until_swapped(relay, references, "1")
    assert _labels(references)[0] == OLD_LABEL

    county = sample_set(tmp_path / "county")
    province.province.guide_set = county
    relay.refresh_references()  # the new manifest, by ETag
    shown_while_downloading = []
    fetched = references.guide_sets.fetched

    def watch(media):  # after every file that comes in, what the guide screens would load
        shown_while_downloading.append(_labels(references)[0])
        fetched(media)

    references.guide_sets.fetched = watch
    down_before, cuts_before = link.counters.down_bytes, link.counters.cuts
    in_use = _until_swapped(relay, references, manifest_of(county)["version"])

    media = manifest_of(county)["media"]
    assert shown_while_downloading == [OLD_LABEL] * len(media)  # the old set, whole, until the swap
    assert _labels(references)[:2] == ["医保报销", "防电信诈骗"]
    assert OLD_LABEL not in _labels(references)  # swapped, not merged
    assert link.counters.cuts > cuts_before  # the link really dropped connections mid-download
    useful = sum(m["size"] for m in media)
    assert link.counters.down_bytes - down_before < useful * 1.5  # resumed after each cut, never restarted
    for entry in media:  # every file the screens will show is the county's, byte for byte
        shown = in_use.folder / "guides" / entry["file"]
        assert hashlib.sha256(shown.read_bytes()).hexdigest() == entry["sha256"]
    video = next(g for g in references.guides() if g.id == "county_phone_fraud").video
    assert video is not None and video.path.is_relative_to(in_use.folder)


def test_a_corrupt_file_is_refused_and_the_old_set_stays(tmp_path, province, store, references, caplog):
    province.province.guide_set = old_set(tmp_path / "old")
    clock = [1_000_000.0]
    relay = _relay(store, province.url, references, province, clock=lambda: clock[0])  # backoffs, not waited out
    relay.refresh_references()
    _until_swapped(relay, references, "1")

    county = sample_set(tmp_path / "county")
    spoiled = county / "guides" / "county_phone_fraud" / "2.png"
    good = spoiled.read_bytes()
    spoiled.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))  # same size, one byte off: only the hash tells
    province.province.guide_set = county
    relay.refresh_references()
    with caplog.at_level(logging.WARNING, logger="kiosk.sync.relay"):
        relay.run_once()

    sets = references.guide_sets
    assert sets.in_use().version == "1" and _labels(references)[0] == OLD_LABEL
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1 and "county_phone_fraud/2.png" in refused[0] and "\n" not in refused[0]
    progress = sets.progress()["downloading"]
    assert progress["files_done"] == progress["files_total"] - 1
    assert "county_phone_fraud/2.png" in progress["last_error"] and "校验" in progress["last_error"]
    assert not list((references.folder / "guide_sets" / "media").glob("*.part"))  # deleted, not kept
    relay.run_once()
    assert sets.in_use().version == "1"  # backing off: not fetched again at once

    spoiled.write_bytes(good)  # the county fixes its file; later, it is fetched again
    clock[0] += 3600
    relay.run_once()
    assert sets.in_use().version == manifest_of(county)["version"]
    assert sets.progress()["downloading"] is None


class RecordingHandler(Handler):
    """The reference province, noting the path of every request it is asked, in order."""

    asked: ClassVar[list[str]] = []

    def _handle(self, method: str) -> None:
        self.asked.append(self.path.split("/")[2])
        super()._handle(method)


def test_guide_files_wait_behind_requests_and_photos(tmp_path, store, references):
    from tests.helpers.photos import camera_photo
    from tests.helpers.province import start_province

    province = start_province(tmp_path / "province.db", handler=RecordingHandler)
    try:
        relay = _relay(store, province.url, references, province)
        relay.refresh_references()
        store.outbox.enqueue("farm_listing", {"product": "fruit"}, attachments={"photo": camera_photo(100, seed=2)})
        RecordingHandler.asked.clear()
        relay.run_once()
    finally:
        province.stop()
    asked = RecordingHandler.asked
    first_media = asked.index("guide-media")
    assert asked[0] == "submissions" and "attachments" in asked[:first_media]
    assert set(asked[first_media:]) == {"guide-media"}  # nothing else once the guide files begin
    assert references.guide_sets.in_use() is not None


def test_the_county_sees_on_its_fleet_page_which_set_a_kiosk_shows(province, store, references):
    from kiosk.sim.provincial import fleet_page

    config = Config(provincial_url=province.url, sync=province.config().sync)
    client = ProvincialClient(config)
    relay = Relay(store.outbox, client, config.sync, settings=store.settings, references=references,
                  guide_media=references.guide_sets)  # fmt: skip
    assert "guide_set" not in relay.heartbeat_report()  # none pushed yet: nothing to say
    relay.refresh_references()
    relay.run_once()
    client.heartbeat(relay.heartbeat_report())
    shown = f"{manifest_of(province.province.guide_set)['name']} {manifest_of(province.province.guide_set)['version']}"
    assert province.province.fleet()[0]["report"]["guide_set"] == shown
    assert shown in fleet_page(province.province.fleet(), 0)
