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
