from kiosk.app.navigation import HOME, Navigator


def test_back_and_home_follow_the_path_taken():
    shown = []
    nav = Navigator()
    nav.subscribe(shown.append)
    nav.open_service("subsidy")
    nav.open("checkin")
    assert nav.current == "checkin"
    nav.back()
    assert nav.current == "service.subsidy"
    nav.open("checkin")
    nav.home()
    assert nav.at_home
    assert shown == ["service.subsidy", "checkin", "service.subsidy", "checkin", HOME]


def test_back_at_home_and_reopening_the_current_screen_change_nothing():
    shown = []
    nav = Navigator()
    nav.subscribe(shown.append)
    nav.back()
    nav.home()
    nav.open(HOME)
    nav.open_service("guides")
    nav.open_service("guides")
    assert shown == ["service.guides"]


def test_the_way_home_from_a_receipt_passes_the_detour_once_and_a_reset_skips_it():
    nav = Navigator()
    nav.open_alone("receipt")
    nav.detour_home("rating")
    nav.leave()  # 首页 from the receipt
    assert nav.current == "rating" and nav.previous == "receipt"
    nav.leave()  # 首页 from the rating itself
    assert nav.at_home
    nav.open_alone("answer")
    nav.detour_home("rating")
    nav.back()  # 返回 with only home behind: the detour too
    assert nav.current == "rating"
    nav.back()  # 返回 from the faces: back to her answer, to read it again
    assert nav.current == "answer"
    nav.back()  # and her way home from it passes the faces again
    assert nav.current == "rating"
    nav.leave()
    assert nav.at_home
    nav.open_alone("receipt")
    nav.detour_home("rating")
    nav.home()  # a time-out goes straight home and forgets the detour
    nav.open_service("subsidy")
    nav.leave()
    assert nav.at_home


def test_back_deeper_than_home_is_no_way_home():
    nav = Navigator()
    nav.open_alone("receipt")
    nav.detour_home("rating")
    nav.open("guide")
    nav.back()
    assert nav.current == "receipt"
    nav.back()
    assert nav.current == "rating"
