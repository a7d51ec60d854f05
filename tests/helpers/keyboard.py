"""Tapping the real on-screen keyboard (Qt Virtual Keyboard in its QQuickWidget) as a finger would."""

from PySide6.QtCore import QPoint, QPointF, Qt


def _items(item):
    for child in item.childItems():
        yield child
        yield from _items(child)


def _tap(qtbot, view, item) -> None:
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(centre.x()), round(centre.y())))


def keys(keyboard) -> dict:
    """The keys showing, by what is written on them (a letter, 删除, 确定…)."""
    shown = {}
    for item in _items(keyboard.view().rootObject()):
        written = item.property("displayText")
        if written and item.property("keyType") is not None and item.isVisible():
            shown.setdefault(written, item)
    return shown


def letter_keys(keyboard) -> dict:
    """The letter keys showing, by their letter."""
    return {written: key for written, key in keys(keyboard).items() if len(written) == 1 and written.isalpha()}


def face(item):
    """The key as drawn inside its item (less half a gap on each side): the rounded, bordered part."""
    return next(child for child in _items(item) if child.property("radius") is not None)


def tap_key(qtbot, keyboard, written: str) -> None:
    qtbot.waitUntil(lambda: keyboard.view().isVisible() and written in keys(keyboard), timeout=5_000)
    _tap(qtbot, keyboard.view(), keys(keyboard)[written])


def tap_letters(qtbot, keyboard, letters: str) -> None:
    qtbot.waitUntil(lambda: keyboard.view().isVisible() and "a" in letter_keys(keyboard), timeout=5_000)
    keys = letter_keys(keyboard)
    for letter in letters:
        _tap(qtbot, keyboard.view(), keys[letter])


def candidates(keyboard) -> dict:
    """What Pinyin offers for the letters typed so far, as shown in the strip above the keys, by their text."""
    view = keyboard.view()
    strip = view.rootObject().property("candidatesHeight")
    shown = {}
    for item in _items(view.rootObject()):
        if "SelectionListItem" in item.metaObject().className() and item.isVisible():
            centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
            if 0 <= centre.y() <= strip and 0 <= centre.x() <= view.width():
                label = next(child for child in _items(item) if isinstance(child.property("text"), str))
                shown.setdefault(label.property("text"), item)
    return shown


def tap_candidate(qtbot, keyboard, text: str) -> None:
    qtbot.waitUntil(lambda: text in candidates(keyboard), timeout=5_000)
    _tap(qtbot, keyboard.view(), candidates(keyboard)[text])
