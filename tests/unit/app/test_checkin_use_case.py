"""Check in, without Qt: the card's holder, and a face check-in built from the configuration."""

from kiosk.app.checkin import CheckIn
from kiosk.app.face_progress import FaceState
from kiosk.config import FaceConfig
from kiosk.identity.card_simulator import DEMO_CARD
from kiosk.identity.sam import CardData


def test_the_card_on_the_reader_checks_in_its_holder():
    card = CardData(**{field: DEMO_CARD.get(field, "") for field in CardData.__dataclass_fields__} | {"photo": b""})
    person = CheckIn(FaceConfig(), list).by_card(card)
    assert (person.name, person.id_number, person.how) == ("张秀英", DEMO_CARD["id_number"], "card")
    assert person.evidence is None  # a card proves who, not that she is here: a certification asks the face


def test_a_face_check_in_gives_up_kindly_after_the_configured_number_of_frames(analyzer, astronaut):
    seen = []
    session = CheckIn(FaceConfig(challenge_frames=12), list, analyzer).by_face(seen.append)
    session.load()  # on the camera's thread, before the first frame
    face = session.detect(astronaut)
    frames = 0
    while not seen or seen[-1].state != FaceState.GAVE_UP:
        session.on_frame(astronaut, face)  # a still photo: it never blinks or turns
        frames += 1
        assert frames < 100
    assert [p.state for p in seen] == ["challenge", "retry", "challenge", "retry", "challenge", "gave_up"]
    assert 3 * 12 <= frames <= 3 * 13  # three tries of the configured length, not the default 150 frames
    assert CheckIn.matched(seen[-1]) is None


def test_proving_presence_matches_the_person_already_checked_in(analyzer, astronaut, monkeypatch):
    from kiosk.app import face_checkin
    from kiosk.app.session import CheckinMethod, Person
    from kiosk.identity.face.liveness import Challenge

    monkeypatch.setattr(face_checkin, "pick_challenge", lambda rng: Challenge.TURN_LEFT)
    by_card = Person("张秀英", DEMO_CARD["id_number"], CheckinMethod.CARD)
    seen = []
    session = CheckIn(FaceConfig(turn=0.0), list, analyzer).by_face(seen.append, proving=by_card)
    session.load()
    face = session.detect(astronaut)
    while not seen or seen[-1].state != FaceState.MATCHED:
        session.on_frame(astronaut, face)
    person = CheckIn.matched(seen[-1])
    assert (person.id_number, person.how) == (by_card.id_number, "face")
    assert person.evidence.jpeg.startswith(b"\xff\xd8") and person.evidence.liveness["passed"] is True
