import pytest

from kiosk.app.idle import IdleClock


def test_active_then_warning_then_expired_and_a_touch_starts_again():
    now = [0.0]
    idle = IdleClock(timeout_s=120, warn_before_s=30, clock=lambda: now[0])
    now[0] = 89
    assert idle.state() == "active"
    now[0] = 91
    assert idle.state() == "warning" and idle.seconds_left() == 29
    idle.touch()
    now[0] = 170
    assert idle.state() == "active"
    now[0] = 212
    assert idle.state() == "expired"


def test_the_warning_must_leave_at_least_twenty_seconds():
    with pytest.raises(ValueError):
        IdleClock(timeout_s=60, warn_before_s=10)
