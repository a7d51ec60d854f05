"""叫志愿者 without Qt: a call is kept until 知道了, and said as when, where and at which step."""

import time

from kiosk.app.backend import Backend
from kiosk.app.calls import VolunteerCalls, describe
from kiosk.store.calls import Call


def test_a_call_is_kept_until_a_volunteer_says_seen(store):
    calls = VolunteerCalls(Backend.over(store))
    kept = calls.call("补贴申领", "第 2 步 / 共 4 步")
    other = calls.call("登记身份", "")
    assert [c.id for c in calls.waiting()] == [kept.id, other.id]
    assert [c.id for c in calls.dismiss(kept.id)] == [other.id]


def test_asking_again_from_the_same_screen_while_the_call_waits_is_the_same_call(store):
    calls = VolunteerCalls(Backend.over(store))
    first = calls.call("补贴申领", "第 2 步 / 共 4 步")
    assert calls.call("补贴申领", "第 2 步 / 共 4 步") == first  # a double tap on 叫志愿者
    later_step = calls.call("补贴申领", "第 3 步 / 共 4 步")
    assert [c.id for c in calls.waiting()] == [first.id, later_step.id]
    calls.dismiss(first.id)  # seen to: a new call from there is a new intention
    again = calls.call("补贴申领", "第 2 步 / 共 4 步")
    assert again.id not in (first.id, later_step.id)
    assert len(calls.waiting()) == 2


def test_a_call_says_when_where_and_the_step_and_the_day_if_not_today():
    at = time.mktime((2026, 11, 3, 9, 12, 0, 0, 0, -1))
    call = Call(1, at, "补贴申领", "第 2 步 / 共 4 步")
    assert describe(call, now=at + 60) == "09:12 补贴申领，第 2 步 / 共 4 步"
    assert describe(call, now=at + 86_400) == "11月3日 09:12 补贴申领，第 2 步 / 共 4 步"
    assert describe(Call(2, at, "首页", ""), now=at) == "09:12 首页"
