"""The screens' fixed lines: each module declares its own with ``phrase()`` where it uses them.

A line is declared when its module is imported, and some screens are imported only when first
needed (the video screen), so the full list imports every module of the screens and of the app
layer first: the registry, the 录音 screen's list and ``kiosk voice pack status`` always agree.
That first call must be on the main thread: importing Qt's modules on a worker while the GUI
thread is inside Qt aborts the process. The kiosk makes it after the first paint, and when helper
mode opens; workers then get the list already made.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kiosk.voice.lines import declared_lines

if TYPE_CHECKING:
    from kiosk.voice.lines import Line

PACKAGES = ("kiosk.app", "kiosk.ui")
_found: list[tuple[Line, ...]] = []


def screen_lines() -> tuple[Line, ...]:
    if not _found:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("screen_lines() is first called on the main thread")
        import importlib
        import pkgutil

        from kiosk.ui.shell import quiet_qt

        quiet_qt()  # the video screen's import loads Qt Multimedia, which talks about missing libraries
        for name in PACKAGES:
            package = importlib.import_module(name)
            for module in pkgutil.walk_packages(package.__path__, f"{name}."):
                importlib.import_module(module.name)
        _found.append(tuple(declared_lines()))
    return _found[0]
