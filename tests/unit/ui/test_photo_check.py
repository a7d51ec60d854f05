"""The product photo through the real widgets and the demo camera: she sees it before it is used."""

from tests.unit.ui.test_checkin import devices  # noqa: F401 - fixture
from tests.unit.ui.test_service_flow import _button, _click, kiosk  # noqa: F401 - fixture


def _texts(form) -> list[str]:
    return [button.text() for button in form.buttons]


def _take(qtbot, form) -> bytes:
    qtbot.waitUntil(lambda: form.preview is not None and form.preview._image is not None, timeout=10_000)
    _click(qtbot, _button(form, "拍照"))
    qtbot.waitUntil(lambda: "用这张" in _texts(form), timeout=10_000)
    return form._photo


def test_the_photo_is_shown_to_keep_or_take_again_and_the_kept_one_is_the_answer(kiosk, qtbot, devices):  # noqa: F811
    services = kiosk.services
    form = services.form
    _click(qtbot, kiosk.window.screens["home"].service_buttons["farm_listing"])
    devices.simulated_reader.place_card()
    qtbot.waitUntil(lambda: kiosk.navigator.current == "checkin.done", timeout=10_000)
    _click(qtbot, kiosk.checkin.welcome.continue_button)
    _click(qtbot, _button(form, "水果"))
    first = _take(qtbot, form)
    assert form.form.step.field.id == "photo"  # not used yet: she looks at it first
    assert "看得清就点「用这张」" in form.question.text() and _texts(form) == ["用这张", "重拍"]
    assert form.still._image.size().toTuple() == _decoded_size(first)
    assert services._capture is None  # the camera rests while she looks
    _click(qtbot, _button(form, "重拍"))
    assert "拍照" in _texts(form) and form.preview is not None and services._capture is not None
    second = _take(qtbot, form)
    _click(qtbot, _button(form, "用这张"))
    assert form.form.step.field.id == "unit" and form.form.photos["photo"] == second
    _click(qtbot, kiosk.window.back_button)  # back at the photo step: her photo, not the camera
    assert form.form.step.field.id == "photo" and _texts(form) == ["用这张", "重拍"]
    assert services._capture is None


def _decoded_size(jpeg: bytes) -> tuple[int, int]:
    from PySide6.QtGui import QImage

    return QImage.fromData(jpeg).size().toTuple()
