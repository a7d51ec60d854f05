from kiosk.cli import main
from kiosk.paths import assets_dir

ID = "410102195001012343"


def test_enroll_needs_consent_then_keeps_an_encrypted_template_and_remove_deletes_it(capsys, store):
    photo = str(assets_dir() / "demo" / "face.jpg")
    base = ["face", "enroll", "--id-number", ID, "--name", "张秀英", "--image", photo, "--volunteer", "李"]
    assert main(base) == 2
    assert "--consent" in capsys.readouterr().err
    assert store.faces.for_id_number(ID) is None
    assert main([*base, "--consent", "--json"]) == 0
    assert capsys.readouterr().out.strip() == '{"enrolled": "4101**********2343"}'
    assert len(store.faces.for_id_number(ID).template) == 128 * 4
    assert main(["face", "remove", "--id-number", ID]) == 0
    assert store.faces.for_id_number(ID) is None


def test_a_photo_without_a_face_is_refused(capsys):
    no_face = str(assets_dir() / "icons" / "home.svg")
    argv = ["face", "enroll", "--id-number", ID, "--name", "张秀英", "--image", no_face, "--volunteer", "李"]
    assert main([*argv, "--consent"]) == 2
    assert "读不出照片" in capsys.readouterr().err
