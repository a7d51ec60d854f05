import pytest

from kiosk.app.staff import LOCK_S, MAX_FAILURES, TECHNICIAN, VOLUNTEER, SignInRefused, StaffSignIn
from kiosk.store.crypto import hash_pin


def test_volunteer_and_technician_pins_and_a_lock_out_that_survives_a_restart(store):
    store.volunteers.add("李明", "135790")
    now = [1_000.0]

    def signing():  # a fresh object each time, as after a restart: the count lives in the database
        return StaffSignIn(store.settings, store.volunteers.hashes, hash_pin("24680246"), clock=lambda: now[0])

    assert signing().attempt("135790").role == VOLUNTEER
    assert signing().attempt("24680246").role == TECHNICIAN
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
