"""The outbox relay: sends what is due, records what the province said, and knows when to try again.

Triggers: a new request (``wake``), connectivity regained (a cheap health probe while offline),
a timer with exponential backoff and full jitter, and "sync now". Text goes first; attachments
follow in their own lane, so a large photo never holds up a pension certification; the county's
guide media come last, downloaded in the same resumable lane the other way.
"""

from __future__ import annotations

import importlib.metadata
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.store.database import StorageFull
from kiosk.store.outbox import Outbox, Outcome
from kiosk.store.states import Settled
from kiosk.sync import downloads, uploads
from kiosk.sync.client import GUIDE_MANIFEST, ItemStatus, ProvinceError, ProvinceUnreachable, ProvincialClient
from kiosk.sync.replies import clean_message
from kiosk.sync.status import Network, SyncStatus
from kiosk.sync.throughput import DOWNLOAD_LINK_KEY, LINK_BACKOFF_CAP_S, LINK_KEY, LinkMeter
from kiosk.sync.uploads import Ending

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.config import Config, RetentionConfig, SyncConfig
    from kiosk.store.answers import Answers
    from kiosk.store.audit import AuditTrail
    from kiosk.store.retention import Retention
    from kiosk.store.settings import Settings
    from kiosk.store.store import Store

log = logging.getLogger(__name__)

REASONS = {
    "invalid_payload": "省平台说填写的内容不完整或有误，请核对后重发",
    "unknown_service": "省平台不办理这项服务，请联系县里的技术员",
    "not_eligible": "省平台说不符合申领条件",
}
UNREACHABLE_NOTE = "省平台连不上，稍后自动重发"
PROVINCE_ERROR_NOTE = "省平台出错，稍后自动重发"
RESULTS_PER_PASS = 20
PURGE_INTERVAL_S = 3600.0
REFERENCE_INTERVAL_S = 3600.0
WATCH_S = 1.0  # how often an idle relay looks for requests queued by another process (the UI)
RECHECK_S = 2.0  # after a dropped link, the first probe comes this soon: a flaky link is not a dead one
PHOTOS_PER_PASS = 50
DOWNLOAD_NOTES = {
    Ending.LINK_FAILED: "省平台连不上，稍后从断点接着下载",
    Ending.REFUSED: "省平台的回答不对，稍后再试",
    Ending.NOT_KEPT: "文件写不进本机磁盘（可能满了），稍后再试",
}


RELAY_STATUS_KEY = "relay_status"
DEVICE_STATES_KEY = "device_states"
AUDIT_REPORTED_KEY = "audit_reported_seq"  # the head the province last acknowledged


def kiosk_version() -> str:
    try:
        return importlib.metadata.version("village-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return "source"


def plain_reason(code: str | None, message: str | None) -> str:
    known = REASONS.get(code or "")
    if known and message:
        return f"{known}（{message}）"
    return known or (f"省平台退回：{message}" if message else "省平台退回了这一件，请联系县里的技术员")


def clean_result(result: dict) -> dict:
    """An answer as the villager may see it: a short title and up to ten clean lines."""
    lines = [clean_message(line) for line in result.get("lines", [])[:10]]
    return {"title": clean_message(result.get("title"), 40) or "办理结果", "lines": [line for line in lines if line]}


def backoff_delay(attempts: int, config: SyncConfig, rng: random.Random, cap_s: float | None = None) -> float:
    """Full jitter: uniform in [0, min(cap, base·2^attempts)], so a township coming back does not stampede.

    ``cap_s`` lowers the cap: a dropped link is retried within seconds, not the minutes an erroring province gets.
    """
    cap = config.backoff_cap_s if cap_s is None else min(cap_s, config.backoff_cap_s)
    ceiling = min(cap, config.backoff_base_s * 2 ** min(attempts, 32))
    return rng.uniform(0, ceiling)


@dataclass
class PassReport:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    retried: int = 0
    attachments: int = 0
    guide_files: int = 0
    answers: int = 0
    reachable: bool = True

    def as_dict(self) -> dict[str, int | bool]:
        return dict(self.__dict__)


class Relay:
    def __init__(
        self,
        outbox: Outbox,
        client: ProvincialClient,
        config: SyncConfig,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
        settings: Settings | None = None,
        answers: Answers | None = None,
        retention: RetentionConfig | None = None,
        references=None,
        lifecycle: Retention | None = None,
        audit_trail: AuditTrail | None = None,
        device_states: Callable[[], dict] | None = None,
        guide_media=None,
    ) -> None:
        """``references``: where the province's reference lists go once checked (names, etag(), accept());
        ``guide_media``: the county's guide sets, whose missing files the last lane downloads (missing(),
        part(), fetched(), failed(), failures(), swap(); in_use() for the heartbeat);
        ``lifecycle``: what purges personal data by the ``retention`` rules; ``audit_trail``: whose head
        the heartbeat carries; ``device_states``: the UI's own record when the relay runs inside it, else
        the heartbeat reads what the UI process shared in the settings."""
        self._outbox = outbox
        self._lifecycle = lifecycle
        self._audit = audit_trail
        self._alive: Callable[[], None] | None = None
        self._on_pass: Callable[[PassReport], None] | None = None
        self._settings = settings
        self._answers = answers
        self._retention = retention
        self._references = references
        self._device_states = device_states
        self._guide_media = guide_media
        self._last_done: dict[str, float] = {}  # when each periodic chore (heartbeat, purge, …) last ran
        self._client = client
        if settings is not None:  # what the last pass learnt of the uplink sizes this one's chunks and time-outs
            client.link = LinkMeter.from_saved(settings.get(LINK_KEY))
        self._downlink = LinkMeter.from_saved(settings.get(DOWNLOAD_LINK_KEY) if settings is not None else None)
        self._config = config
        self._rng = rng or random.Random()
        self._clock = clock
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus()

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return SyncStatus(self._status.network, self._status.last_sync, dict(self._status.counts))

    def close(self) -> None:
        self._client.close()

    def wake(self, queued: int = 0) -> None:
        """Something was queued, or a volunteer pressed "sync now": pass as soon as possible.

        ``queued`` new items count in the status at once: the pass's own recount may wait on a link
        that is still timing out; it then puts the exact figure."""
        if queued:
            with self._lock:
                self._status.counts["queued"] = self._status.counts.get("queued", 0) + queued
        self._wake.set()

    def run_once(self) -> PassReport:
        self._recount()  # what was just queued shows at once, not after the network has had its say
        report = PassReport()
        while report.reachable:
            self._beat()
            batch = self._outbox.claim_due(self._config.batch_size)
            if not batch:
                break
            self._send(batch, report)
        if report.reachable:
            self._fetch_answers(report)
        if report.reachable:
            self._upload_photos(report)
        if report.reachable:
            self._download_guides(report)
        if report.sent == 0 and report.attachments == 0 and report.guide_files == 0:
            report.reachable = self._client.health()  # nothing was sent: ask, so the strip tells the truth
        self._record(report)
        return report

    def _send(self, batch, report: PassReport) -> None:
        report.sent += len(batch)
        try:
            results = self._client.submit_batch([(item.id, item.service, item.payload) for item in batch])
        except Exception as error:
            # An erroring province is treated like an absent one: stop this pass, probe, back off.
            if isinstance(error, ProvinceError):
                log.warning("province error, %d items stay queued: %s", len(batch), error)
            elif not isinstance(error, ProvinceUnreachable):
                log.exception("batch not sent, %d items stay queued", len(batch))
            report.reachable = False
            report.retried += len(batch)
            note = UNREACHABLE_NOTE if isinstance(error, ProvinceUnreachable) else PROVINCE_ERROR_NOTE
            self._outbox.settle([self._retry(item, note) for item in batch])
            return
        outcomes = []
        for item in batch:
            result = results.get(item.id)
            if result is None or result.status == ItemStatus.RETRY:
                report.retried += 1
                outcomes.append(self._retry(item, "省平台让稍后再发"))
            elif result.status == ItemStatus.REJECTED:
                report.rejected += 1
                outcomes.append(Outcome(item.id, Settled.REJECTED, reason=plain_reason(result.reason, result.message)))
            else:
                report.accepted += 1
                report.duplicates += result.status == ItemStatus.DUPLICATE
                outcomes.append(Outcome(item.id, Settled.ACCEPTED, receipt=result.receipt))
        self._outbox.settle(outcomes)

    def _fetch_answers(self, report: PassReport) -> None:
        """Results come back for queries, certifications and listings: keep each, encrypted, for the villager."""
        if self._answers is None:
            return
        for item_id, failures in self._answers.awaited(RESULTS_PER_PASS):
            self._beat()
            try:
                result = self._client.fetch_result(item_id)
            except ProvinceUnreachable as error:
                log.warning("results not fetched: %s", error)
                return
            except ProvinceError as error:  # this one backs off on its own; the others are still asked
                log.warning("result of %s not fetched: %s", item_id, error)
                self._answers.not_ready(item_id, backoff_delay(failures, self._config, self._rng), failed=True)
                continue
            if result is None:
                self._answers.not_ready(item_id, self._config.probe_interval_s, failed=False)
            else:
                self._answers.keep(item_id, clean_result(result))
                report.answers += 1

    def _due(self, chore: str, interval_s: float) -> bool:
        last = self._last_done.get(chore)
        return last is None or time.monotonic() - last >= interval_s

    def _done(self, chore: str) -> None:
        self._last_done[chore] = time.monotonic()

    def _purge(self) -> None:
        self._done("purge")
        rules = self._retention
        purged = self._lifecycle.purge(answers_days=rules.answers_days, accepted_days=rules.accepted_days,
                                       set_aside_days=rules.set_aside_days, max_days=rules.max_days)  # fmt: skip
        if purged.total:
            log.info("purged past their retention: %d answers, %d accepted and %d set-aside requests",
                     purged.answers, purged.accepted, purged.set_aside)  # fmt: skip

    def refresh_references(self) -> list[str]:
        """Fetch each reference list the province changed (ETag); a malformed one is refused, the old kept.

        The names of the lists updated."""
        updated = []
        for listing in self._references.names:
            try:
                fetched = self._client.fetch_reference(listing, self._references.etag(listing))
            except (ProvinceUnreachable, ProvinceError) as error:
                log.warning("reference %s not fetched: %s", listing, error)
                return updated
            if fetched is None:
                continue
            try:
                self._references.accept(listing, *fetched)
            except (KioskError, ValueError, RecursionError) as error:
                log.warning("reference %s from the province refused, the last good one stays: %s", listing, error)
            else:
                log.info("reference %s updated from the province", listing)
                updated.append(listing)
        return updated

    def _retry(self, item, note: str) -> Outcome:
        return Outcome(item.id, Settled.RETRY, reason=note, delay=backoff_delay(item.attempts, self._config, self._rng))

    def _upload_photos(self, report: PassReport) -> None:
        """The photo lane, in upload order, each photo tried once a pass; text waiting pauses it.

        A photo whose link failed backs off and the next is tried, so a province that stalls one
        upload cannot starve the rest; two link failures in a row mean the link is down: stop.
        """
        meter = self._client.link
        sent, seconds, link_failures = 0, 0.0, 0
        try:
            for attachment in self._outbox.pending_attachments(PHOTOS_PER_PASS):
                if self._text_waiting():
                    break
                attempt = self._upload(attachment, meter)
                sent, seconds = sent + attempt.acknowledged, seconds + attempt.seconds
                report.attachments += attempt.ending is Ending.DONE
                if attempt.ending is Ending.PAUSED:
                    break
                link_failures = link_failures + 1 if attempt.ending is Ending.LINK_FAILED else 0
                if link_failures == 2:
                    report.reachable = False
                    break
        finally:
            meter.record_pass(sent, seconds)
            if self._settings is not None and seconds > 0:
                self._settings.put(LINK_KEY, meter.saved())

    def _text_waiting(self) -> bool:
        """Asked between chunks: the watchdog hears from the relay then too."""
        self._beat()
        return self._wake.is_set() or self._outbox.text_due()

    def _upload(self, attachment, meter: LinkMeter) -> uploads.Attempt:
        try:
            data = self._outbox.attachment_bytes(attachment)
        except (OSError, ValueError) as error:  # discarded since the lane began, a disk fault, a VaultError
            log.warning("photo %s not readable: %s", attachment.hash[:12], error)
            self._outbox.attachment_failed(attachment.hash, backoff_delay(attachment.attempts, self._config, self._rng))
            return uploads.Attempt(Ending.REFUSED, attachment.received, reason=str(error))
        attempt = uploads.upload(
            self._client,
            meter,
            self._config.timeout_s,
            attachment.hash,
            data,
            known=attachment.received if attachment.sent == attachment.received else None,
            pause=self._text_waiting,
            offered=lambda end: self._outbox.attachment_offered(attachment.hash, end),
            progressed=lambda received: self._outbox.attachment_progress(attachment.hash, received),
        )
        if attempt.ending is Ending.DONE:
            self._outbox.attachment_uploaded(attachment.hash)
            log.info("photo %s uploaded (%d bytes)", attachment.hash[:12], len(data))
        elif attempt.ending is not Ending.PAUSED:
            link = attempt.ending is Ending.LINK_FAILED
            # Attempts count failures since the last progress: a flaky link that moves on stays on short waits.
            failures = 0 if attempt.acknowledged else attachment.attempts
            cap = LINK_BACKOFF_CAP_S if link else None
            self._outbox.attachment_failed(attachment.hash, backoff_delay(failures, self._config, self._rng, cap))
            log.warning("photo upload ended (%s): %s", attempt.ending.value, attempt.reason)
        return attempt

    def _download_guides(self, report: PassReport) -> None:
        """The last lane: the county's guide files, each from the bytes on disk, while nothing else waits.

        A set is swapped in once all its files are in. A file that failed waits its own backoff
        (a corrupt one is fetched again later, not at once); a link that fails ends the lane.
        """
        media = self._guide_media
        if media is None:
            return
        meter = self._downlink
        sent, seconds = 0, 0.0
        try:
            for item in media.missing(self._clock()):
                if self._others_waiting():
                    return
                attempt = downloads.download(self._client, meter, self._config.timeout_s, item.sha256, item.size,
                                             media.part(item), pause=self._others_waiting)  # fmt: skip
                sent, seconds = sent + attempt.acknowledged, seconds + attempt.seconds
                if attempt.ending is Ending.PAUSED:
                    return
                if attempt.ending is Ending.DONE:
                    media.fetched(item)
                    report.guide_files += 1
                    continue
                self._guide_file_failed(media, item, attempt)
                if attempt.ending is Ending.LINK_FAILED:
                    report.reachable = False
                    return
            swapped = media.swap()
            if swapped is not None:
                log.info("guide set %s %s in use (%d guides)", swapped.name, swapped.version, swapped.guides)
        finally:
            meter.record_pass(sent, seconds)
            if self._settings is not None and seconds > 0:
                self._settings.put(DOWNLOAD_LINK_KEY, meter.saved())

    def _guide_file_failed(self, media, item, attempt: uploads.Attempt) -> None:
        if attempt.ending is Ending.CORRUPT:
            log.warning("guide file %s (%s) refused and deleted: %s; fetched again later",
                        item.file, item.sha256[:12], attempt.reason)  # fmt: skip
            note = f"{item.file} 下载完了但与清单的校验值不符，已删掉，稍后重新下载"
        else:
            log.warning("guide file %s download ended (%s): %s", item.file, attempt.ending.value, attempt.reason)
            note = DOWNLOAD_NOTES[attempt.ending]
        link = attempt.ending is Ending.LINK_FAILED  # tried again once the link is back
        failures = 0 if attempt.acknowledged else media.failures(item)
        delay = 0.0 if link else backoff_delay(failures, self._config, self._rng)
        media.failed(item, note, self._clock() + delay)

    def _others_waiting(self) -> bool:
        """Requests and photos go before guide files: asked between chunks (a request queued in this
        process is on disk before its wake, so the disk is enough, and a wake for the manifest is not news)."""
        self._beat()
        return self._outbox.text_due() or bool(self._outbox.pending_attachments(1))

    def _recount(self) -> None:
        counts = self._outbox.stats()
        with self._lock:
            self._status.counts = counts

    def _record(self, report: PassReport) -> None:
        self._recount()
        with self._lock:
            self._status.network = Network.ONLINE if report.reachable else Network.OFFLINE
            if report.reachable:
                self._status.last_sync = self._clock()
            shared = {"network": self._status.network.value, "last_sync": self._status.last_sync}
        if self._settings is not None:  # for a UI in another process, and for the heartbeat
            self._settings.put(RELAY_STATUS_KEY, shared)

    def heartbeat_report(self) -> dict:
        """What a county sees of this kiosk: queue, age of the oldest item, set-aside, last sync, devices."""
        status = self.status
        counts = status.counts or self._outbox.stats()
        if self._device_states is not None:
            devices = self._device_states()
        else:
            devices = self._settings.get(DEVICE_STATES_KEY, {}) if self._settings is not None else {}
        return (
            {
                "version": kiosk_version(),
                "queue_length": counts["queued"] + counts["sending"],
                "oldest_waiting_s": counts["oldest_waiting_s"],
                "set_aside": counts["rejected"],
                "attachments_pending": counts["attachments_pending"],
                "last_sync": status.last_sync,
                "devices": devices,
            }
            | self._guide_set_report()
            | self._audit_report()
        )

    def _guide_set_report(self) -> dict:
        """So a county sees which of its kiosks show the set it pushed."""
        in_use = self._guide_media.in_use() if self._guide_media is not None else None
        return {"guide_set": f"{in_use.name} {in_use.version}"[:80]} if in_use is not None else {}

    def _audit_report(self) -> dict:
        """The chain's head, and the row the last delivered heartbeat named, as the chain has it now."""
        if self._audit is None:
            return {}
        report = {"audit_head": self._audit.head()}
        reported = self._settings.get(AUDIT_REPORTED_KEY) if self._settings is not None else None
        since = self._audit.at(reported) if isinstance(reported, int) else None
        if since is not None:
            report["audit_since"] = since
        return {key: value for key, value in report.items() if value is not None}

    def _heartbeat(self) -> None:
        report = self.heartbeat_report()
        try:
            self._client.heartbeat(report)
        except (ProvinceUnreachable, ProvinceError) as error:
            log.warning("heartbeat not delivered: %s", error)
            return
        if "audit_head" in report and self._settings is not None:
            self._settings.put(AUDIT_REPORTED_KEY, report["audit_head"]["seq"])
        self._done("heartbeat")  # only once delivered: the next pass tries again

    def run_forever(
        self,
        stop: threading.Event,
        alive: Callable[[], None] | None = None,
        on_pass: Callable[[PassReport], None] | None = None,
    ) -> None:
        """Relay until ``stop`` is set; nothing the province sends, and no failing disk, ends the loop.

        ``alive`` is called between every two steps (the relay service's watchdog ping), so a relay
        stuck anywhere goes quiet and is restarted; ``on_pass`` gets each pass's report."""
        log.info("relay started")
        self._alive = alive
        self._on_pass = on_pass
        self._put_back_claimed()
        failed_passes = 0
        while not stop.is_set():
            self._wake.clear()
            self._beat()
            try:
                if self._pass_and_chores():
                    self._sleep(self._next_wait())
                else:
                    self._wait_for_province(stop)
                failed_passes = 0
            except Exception as error:  # a bug or a broken disk: back off, put back what was claimed, go on
                if isinstance(error, StorageFull):
                    log.error("sync pass stopped: %s", error.message)
                else:
                    log.exception("sync pass failed; backing off")
                self._put_back_claimed()
                failed_passes += 1
                self._pause(backoff_delay(failed_passes, self._config, self._rng), stop)

    def _pass_and_chores(self) -> bool:
        report = self.run_once()
        if self._on_pass is not None:
            self._on_pass(report)
        if report.reachable and self._due("heartbeat", self._config.heartbeat_interval_s):
            self._heartbeat()
        if self._lifecycle is not None and self._retention is not None and self._due("purge", PURGE_INTERVAL_S):
            self._purge()
        if report.reachable and self._references is not None and self._due("references", REFERENCE_INTERVAL_S):
            self._done("references")
            if GUIDE_MANIFEST in self.refresh_references():
                self.wake()  # a new guide set: its files are due now, not at the next timer
        return report.reachable

    def _put_back_claimed(self) -> None:
        """Items left in ``sending`` (by a crash, or a pass that failed half-way) go back to the queue."""
        try:
            recovered = self._outbox.recover_interrupted()
        except Exception:
            log.exception("claimed items not put back yet (the next pass tries again)")
            return
        if recovered:
            log.info("returned %d interrupted items to the queue", recovered)

    def _pause(self, seconds: float, stop: threading.Event) -> None:
        """Back off without touching the disk (it may be what failed); "sync now" ends it early."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            self._beat()
            if self._wake.wait(min(left, WATCH_S)):
                return

    def _beat(self) -> None:
        if self._alive is not None:
            self._alive()

    def _sleep(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True as soon as something is queued here or by another process."""
        deadline = time.monotonic() + seconds
        version = self._outbox.data_version()
        while (left := deadline - time.monotonic()) > 0:
            self._beat()
            if self._wake.wait(min(left, WATCH_S)) or self._outbox.data_version() != version:
                return True
        return False

    def _next_wait(self) -> float:
        due = self._outbox.next_due_at()
        if due is None:
            return self._config.probe_interval_s
        return max(0.0, min(due - self._clock(), self._config.probe_interval_s))

    def _wait_for_province(self, stop: threading.Event) -> None:
        """While offline, probe cheaply; once the province answers, everything waiting is due at once.

        The first probe comes within seconds: a link that dropped one connection is usually still there.
        """
        wait = min(self._config.probe_interval_s, self._rng.uniform(RECHECK_S / 2, RECHECK_S))
        while not stop.is_set():
            if self._sleep(wait):
                return
            if self._client.health():
                self._outbox.make_all_due()
                return
            wait = self._config.probe_interval_s


def relay_for(store: Store, config: Config, references=None, device_states: Callable[[], dict] | None = None) -> Relay:
    """The relay as the kiosk runs it: sharing its status, fetching answers and reference lists, purging."""
    return Relay(
        store.outbox,
        ProvincialClient(config),
        config.sync,
        settings=store.settings,
        answers=store.answers,
        retention=config.retention,
        references=references,
        lifecycle=store.retention,
        audit_trail=store.audit,
        device_states=device_states,
        guide_media=references.guide_sets if references is not None else None,
    )
