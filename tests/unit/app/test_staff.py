import re
import time

import pytest

from kiosk.app.staff import LOCK_S, MAX_FAILURES, Role, SignInRefused, StaffSignIn
from kiosk.store.crypto import hash_pin
from kiosk.store.store import open_store


def test_volunteer_and_technician_pins_and_a_lock_out_that_survives_a_restart(store):
    store.volunteers.add("李明", "135790")
    now = [1_000.0]

    def signing():  # a fresh object each time, as after a restart: the count lives in the database
        return StaffSignIn(store.settings, store.volunteers.hashes, hash_pin("24680246"), clock=lambda: now[0])

    assert signing().attempt("135790").role == Role.VOLUNTEER
    assert signing().attempt("24680246").role == Role.TECHNICIAN
    for attempt in range(1, MAX_FAILURES):
        with pytest.raises(SignInRefused, match=f"还可以再试 {MAX_FAILURES - attempt} 次"):
            signing().attempt("000000")
    with pytest.raises(SignInRefused, match="已锁定"):
        signing().attempt("000000")
    with pytest.raises(SignInRefused, match="分钟后再试"):
        signing().attempt("135790")  # even the right PIN waits out the lock
    now[0] += LOCK_S + 1
    assert signing().attempt("135790").name == "李明"
    with pytest.raises(SignInRefused, match=f"还可以再试 {MAX_FAILURES - 1} 次"):
        signing().attempt("999999")  # a success reset the count


def test_pins_are_stored_only_as_hashes(store, kiosk_data_dir):
    store.volunteers.add("王芳", "86420864")
    store.database.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert b"86420864" not in (kiosk_data_dir / "kiosk.db").read_bytes()


def test_each_lock_out_in_a_row_lasts_longer_than_the_last_and_is_kept_across_restarts(store, kiosk_data_dir):
    store.volunteers.add("李明", "135790")
    now = [1_000.0]
    opened = []

    def after_restart():  # a new process each time: a new connection, a new sign-in, the same database
        opened.append(open_store(kiosk_data_dir))
        return StaffSignIn(opened[-1].settings, opened[-1].volunteers.hashes, clock=lambda: now[0])

    def lock_out() -> int:
        for _ in range(MAX_FAILURES - 1):
            with pytest.raises(SignInRefused, match="PIN 不对"):
                after_restart().attempt("000000")
        with pytest.raises(SignInRefused) as locked:
            after_restart().attempt("000000")
        minutes = int(re.search(r"已锁定 (\d+) 分钟", locked.value.message).group(1))
        now[0] += minutes * 60 - 30
        with pytest.raises(SignInRefused, match="后再试"):  # even the right PIN waits the lock out
            after_restart().attempt("135790")
        now[0] += 31
        return minutes

    try:
        assert [lock_out() for _ in range(3)] == [LOCK_S // 60, 2 * LOCK_S // 60, 4 * LOCK_S // 60]
        assert after_restart().attempt("135790").name == "李明"
        assert lock_out() == LOCK_S // 60  # a right PIN ended the run of lock-outs
    finally:
        for reopened in opened:
            reopened.close()


def test_only_the_technician_runs_the_self_check_whatever_the_screen_shows(store, kiosk_data_dir):
    from kiosk.app.backend import Backend
    from kiosk.app.staff import TECHNICIAN_ONLY, StaffDesk
    from kiosk.config import Config
    from kiosk.errors import KioskError

    store.volunteers.add("李明", "135790")
    config = Config(technician_pin_hash=hash_pin("24680246"), provincial_url="http://127.0.0.1:9")  # refused at once
    desk = StaffDesk(Backend.over(store), config, kiosk_data_dir)
    with pytest.raises(KioskError, match=TECHNICIAN_ONLY):
        desk.self_check()  # nobody signed in
    assert desk.sign_in("135790").role == Role.VOLUNTEER
    with pytest.raises(KioskError, match=TECHNICIAN_ONLY):
        desk.self_check()
    desk.sign_out()
    assert desk.sign_in("24680246").role == Role.TECHNICIAN
    checks = {check.id for check in desk.self_check()}
    assert {"disk", "database", "config"} <= checks and "speaker" not in checks
    desk.sign_out()
    with pytest.raises(KioskError, match=TECHNICIAN_ONLY):
        desk.self_check()
    events = [row[0] for row in store.database.query("SELECT event FROM audit ORDER BY seq")]
    assert events.count("staff_signed_in") == 2 and events.count("staff_signed_out") == 2


def test_sync_progress_is_said_in_plain_words_once_settled(store):
    from kiosk.app.staff import SyncProgress, sync_words
    from kiosk.store.outbox import Outcome
    from kiosk.store.states import Settled

    began = time.time() - 1
    sent, put_back, _never_tried = (store.outbox.enqueue("subsidy", {"n": n}) for n in range(3))
    store.outbox.claim_due(2)
    claimed = {i.id for i in store.outbox.items("sending")}
    assert claimed == {sent.id, put_back.id}
    store.outbox.settle(
        [Outcome(sent.id, Settled.ACCEPTED, receipt="R1"), Outcome(put_back.id, Settled.RETRY, delay=60)]
    )
    progress = SyncProgress(*store.outbox.progress_since(began))
    assert progress == SyncProgress(sent=1, waiting=2, put_back=1) and not progress.settled
    assert sync_words(progress, patience_over=False) is None  # still going: 正在同步… stays
    assert sync_words(progress, patience_over=True) == "发出 1 件，还有 2 件在发，稍后看「排队情况」。"
    assert sync_words(SyncProgress(0, 2, 2), patience_over=False) == "连不上省里，稍后会自动再试。"
    assert sync_words(SyncProgress(0, 3, 0), patience_over=True) == "连不上省里，稍后会自动再试。"
    assert sync_words(SyncProgress(3, 0, 0), patience_over=False) == "同步好了：发出 3 件，都发完了。"
    assert sync_words(SyncProgress(0, 0, 0), patience_over=False) == "没有要发的，都发完了。"
