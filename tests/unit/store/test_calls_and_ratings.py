"""The volunteers' calls and the 好差评 counts, kept in the kiosk's database across restarts."""

from kiosk.store import calls as calls_module
from kiosk.store.store import open_store


def test_calls_wait_oldest_first_across_a_restart_until_dismissed(kiosk_data_dir):
    store = open_store(kiosk_data_dir)
    first = store.calls.add("补贴申领", "第 2 步 / 共 4 步")
    store.calls.add("首页", "")
    store.close()
    store = open_store(kiosk_data_dir)
    assert [(c.place, c.step) for c in store.calls.waiting()] == [("补贴申领", "第 2 步 / 共 4 步"), ("首页", "")]
    store.calls.dismiss(first.id)
    store.close()
    store = open_store(kiosk_data_dir)
    assert [c.place for c in store.calls.waiting()] == ["首页"]
    store.close()


def test_a_station_nobody_minds_keeps_only_the_newest_calls(store, monkeypatch):
    monkeypatch.setattr(calls_module, "KEPT", 3)
    for n in range(5):
        store.calls.add(f"第{n}个", "")
    assert [c.place for c in store.calls.waiting()] == ["第2个", "第3个", "第4个"]


def test_ratings_count_one_per_request_the_latest_replacing(store):
    store.ratings.record("a", "satisfied")
    store.ratings.record("b", "unsatisfied")
    store.ratings.record("b", "basic")
    assert store.ratings.counts() == {"satisfied": 1, "basic": 1}
