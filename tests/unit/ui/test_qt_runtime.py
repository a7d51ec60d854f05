"""The Qt binding itself must survive a kiosk that runs for months."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_delivering_signals_to_python_slots_keeps_reference_counts(qapp):
    emitter, seen = Emitter(), []
    emitter.fired.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for n in range(500):
        emitter.fired.emit(n)
    assert (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)) == before
    assert len(seen) == 500
