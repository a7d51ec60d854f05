"""Check in, without Qt: the card's holder, and a face check-in built from the configuration."""

from kiosk.app.checkin import CheckIn
from kiosk.app.face_progress import FaceState
from kiosk.app.face_words import GIVE_UP, NO_FACE
from kiosk.config import FaceConfig
from kiosk.identity.card_simulator import DEMO_CARD
from kiosk.identity.sam import CardData


def test_the_card_on_the_reader_checks_in_its_holder():
    card = CardData(**{field: DEMO_CARD.get(field, "") for field in CardData.__dataclass_fields__} | {"photo": b""})
    person = CheckIn(FaceConfig(), list).by_card(card)
    assert (person.name, person.id_number, person.how) == ("张秀英", DEMO_CARD["id_number"], "card")
    assert person.evidence is None  # a card proves who, not that she is here: a certification asks the face


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def _feed(session, camera, clock, done, seconds=30.0):
    """Feed ``session`` as the camera loop does, at 15 frames a second of the camera's clock, until ``done()``;
    the colour the screen's frame showed at each frame."""
    camera.follow(session)  # the session is the scene: what is asked, what the screen shows
    shown, start = [], clock.now
    while not done() and clock.now < start + seconds:
        frame = camera.read()
        session.on_frame(frame, session.detect(frame), clock.now)
        shown.append(session.screen_colour(clock.now))
        clock.now += 1 / 15
    return shown


def test_a_face_check_in_gives_up_kindly_after_the_configured_time(analyzer, astronaut):
    from kiosk.identity.face.camera import FileCamera

    seen = []
    session = CheckIn(FaceConfig(find_face_s=5.0), list, analyzer).by_face(seen.append)
    assert session.next_challenge() is None and session.screen_colour(0.0) is None  # nothing loaded yet
    session.load()  # on the camera's thread, before the first frame
    clock = Clock()
    _feed(session, FileCamera([astronaut]), clock, lambda: bool(seen) and seen[-1].state == FaceState.GAVE_UP)
    assert seen[-1].words == (NO_FACE, GIVE_UP)  # her face is near the top of the picture, never in the oval
    assert 5.0 <= clock.now - 1000.0 < 5.5
    assert CheckIn.matched(seen[-1]) is None


def test_proving_presence_matches_the_person_already_checked_in_under_the_flash(analyzer):
    from kiosk.app.session import CheckinMethod, Person
    from kiosk.identity.face.demo_camera import Approach, DemoLiveCamera
    from kiosk.paths import assets_dir

    by_card = Person("张秀英", DEMO_CARD["id_number"], CheckinMethod.CARD)
    clock = Clock()
    photo = assets_dir() / "demo" / "face.jpg"
    camera = DemoLiveCamera.of_photo(photo, analyzer, fps=0, clock=clock, approach=Approach())
    seen = []
    session = CheckIn(FaceConfig(), list, analyzer).by_face(seen.append, proving=by_card)
    session.load()
    shown = _feed(session, camera, clock, lambda: bool(seen) and seen[-1].state == FaceState.MATCHED)
    person = CheckIn.matched(seen[-1])
    assert (person.id_number, person.how) == (by_card.id_number, "face")
    assert person.evidence.jpeg.startswith(b"\xff\xd8") and person.evidence.liveness["passed"] is True
    flashed = {tuple(c) for c in shown if c is not None}
    assert len(flashed) >= FaceConfig().flash_colours  # the screen's frame showed the check's own flash
