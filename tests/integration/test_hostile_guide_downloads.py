"""A province that answers guide file requests wrongly: every wrong answer ends that attempt, nothing
but the file's own bytes reaches the disk, nothing is shown early, and the download goes on later."""

import gzip
import hashlib
import json
import logging
from typing import ClassVar

import pytest

from kiosk.config import Config
from kiosk.paths import offline_cache_dir
from kiosk.services.reference import ReferenceFiles
from kiosk.sim.provincial import Handler
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.guide_sets import manifest_of, old_set, sample_set
from tests.helpers.province import start_province


class SpoilingHandler(Handler):
    """The reference province, whose next ``left`` guide file replies are spoiled as ``kind`` says."""

    kind: ClassVar[str] = ""
    left: ClassVar[int] = 0

    def _media_range(self, path):
        status, body, extra = super()._media_range(path)
        if SpoilingHandler.left <= 0 or status != 206:
            return status, body, extra
        SpoilingHandler.left -= 1
        first, last, size = _place(extra["Content-Range"])
        if self.kind == "whole":  # the Range ignored: the whole file from byte 0
            return 200, path.read_bytes(), {"Content-Type": "application/octet-stream"}
        if self.kind == "shifted":
            return 206, body, extra | {"Content-Range": f"bytes {first + 1}-{last + 1}/{size}"}
        if self.kind == "other-size":
            return 206, body, extra | {"Content-Range": f"bytes {first}-{last}/{size * 2}"}
        if self.kind == "no-range":
            return 206, body, {"Content-Type": "application/octet-stream"}
        if self.kind == "redirect":
            return 307, b"", {"Location": "http://127.0.0.1:9/v1/stolen"}
        if self.kind == "gzip":
            return 206, gzip.compress(body), extra | {"Content-Encoding": "gzip"}
        if self.kind == "not-found":
            return 404, b'{"error": "no_such_file"}', {}
        raise AssertionError(self.kind)


def _place(content_range: str) -> tuple[int, int, int]:
    span, size = content_range.removeprefix("bytes ").split("/")
    first, last = span.split("-")
    return int(first), int(last), int(size)


KINDS = ["whole", "shifted", "other-size", "no-range", "redirect", "gzip", "not-found"]


@pytest.fixture
def spoiling_province(tmp_path):
    running = start_province(tmp_path / "province.db", handler=SpoilingHandler)
    yield running
    running.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_guide_file_reply_ends_the_attempt_and_the_download_goes_on_later(
    kind, tmp_path, spoiling_province, store, kiosk_data_dir, caplog
):
    province = spoiling_province
    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    sets = references.guide_sets
    clock = [1_000_000.0]
    config = Config(provincial_url=province.url, sync=province.config().sync)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings, clock=lambda: clock[0],
                  references=references, guide_media=sets)  # fmt: skip
    province.province.guide_set = old_set(tmp_path / "old")
    relay.refresh_references()
    relay.run_once()
    county = sample_set(tmp_path / "county")
    province.province.guide_set = county
    relay.refresh_references()

    SpoilingHandler.kind, SpoilingHandler.left = kind, 1
    with caplog.at_level(logging.WARNING, logger="kiosk.sync.relay"):
        relay.run_once()
    assert SpoilingHandler.left == 0
    assert sets.in_use().version == "1"  # the old set, whole, still shown
    assert sets.progress()["downloading"]["last_error"]  # said in plain words
    ended = [r.getMessage() for r in caplog.records if "download ended" in r.getMessage()]
    assert len(ended) == 1 and "\n" not in ended[0]
    entries = {m["sha256"]: m for m in manifest_of(county)["media"]}
    for path in (sets.folder / "media").iterdir():  # nothing but the files' own bytes, never past their end
        entry = entries.get(path.name.removesuffix(".part"))
        if entry is None:  # the old set's, kept while it is in use
            continue
        held = path.read_bytes()
        assert held == (county / "guides" / entry["file"]).read_bytes()[: len(held)]

    clock[0] += 3600  # past the backoff: the province answers honestly now
    relay.run_once()
    assert sets.in_use().version == manifest_of(county)["version"]


def test_a_manifest_that_does_not_fit_the_contract_is_refused_and_the_old_set_stays(
    tmp_path, province, store, kiosk_data_dir, caplog
):
    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    config = Config(provincial_url=province.url, sync=province.config().sync)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings,
                  references=references, guide_media=references.guide_sets)  # fmt: skip
    relay.refresh_references()
    relay.run_once()
    in_use = references.guide_sets.in_use()
    county = sample_set(tmp_path / "county")
    manifest = manifest_of(county)
    for spoil in (
        lambda m: m["guides"][0].update(label="一个名字长得超过十个字的指南"),
        lambda m: m["media"][0].update(size="8000"),
        lambda m: m["media"][0].update(file="../../../etc/passwd.png"),
        lambda m: m.update(extra="x"),
    ):
        spoiled = json.loads(json.dumps(manifest))
        spoil(spoiled)
        (county / "guide_manifest.json").write_text(json.dumps(spoiled, ensure_ascii=False), encoding="utf-8")
        province.province.guide_set = county
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kiosk.sync.relay"):
            relay.refresh_references()
            relay.run_once()
        assert any("guide_manifest not fetched" in r.getMessage() and "contract" in r.getMessage()
                   for r in caplog.records)  # fmt: skip
        assert references.guide_sets.in_use() == in_use and references.guide_sets.downloading() is None


def test_the_set_on_screen_is_the_county_files_byte_for_byte(province, store, kiosk_data_dir):
    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    config = Config(provincial_url=province.url, sync=province.config().sync)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings,
                  references=references, guide_media=references.guide_sets)  # fmt: skip
    relay.refresh_references()
    relay.run_once()
    folder = references.guide_sets.in_use().folder
    for entry in manifest_of(province.province.guide_set)["media"]:
        assert hashlib.sha256((folder / "guides" / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]


def test_a_full_disk_ends_the_download_in_plain_words_and_the_relay_goes_on(tmp_path, province, store, kiosk_data_dir):
    from pathlib import Path

    references = ReferenceFiles(kiosk_data_dir / "reference", offline_cache_dir())
    sets = references.guide_sets
    sets.part = lambda media: Path("/dev/full")  # every write: no space left on device
    config = Config(provincial_url=province.url, sync=province.config().sync)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, settings=store.settings,
                  references=references, guide_media=sets)  # fmt: skip
    relay.refresh_references()
    report = relay.run_once()
    assert report.reachable and report.guide_files == 0 and sets.in_use() is None
    assert "磁盘" in sets.progress()["downloading"]["last_error"]
