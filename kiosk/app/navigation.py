"""Which screen the villager is on, and where 返回 and 首页 lead.

Pure Python so that session logic is testable without a screen; the UI subscribes and
shows whatever screen this says is current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

HOME = "home"


def service_screen(service_id: str) -> str:
    return f"service.{service_id}"


class Navigator:
    def __init__(self) -> None:
        self._stack: list[str] = [HOME]
        self._listeners: list[Callable[[str], None]] = []
        self._detour: str | None = None
        self._detoured: str | None = None  # the detour taken: 返回 from it comes back, and it waits again

    @property
    def current(self) -> str:
        return self._stack[-1]

    @property
    def at_home(self) -> bool:
        return self.current == HOME

    def subscribe(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    def open(self, screen: str) -> None:
        if screen == HOME:
            self.home()
            return
        if screen != self.current:
            self._stack.append(screen)
            self._notify()

    @property
    def previous(self) -> str | None:
        return self._stack[-2] if len(self._stack) > 1 else None

    def return_to(self, screen: str | None) -> None:
        """Go back to ``screen`` if it is on the path taken, else home."""
        if screen in self._stack:
            del self._stack[self._stack.index(screen) + 1 :]
            self._notify()
        else:
            self.home()

    def open_alone(self, screen: str) -> None:
        """Open ``screen`` with nothing behind it but home (a receipt: no way back into a sent form)."""
        self._stack = [HOME, screen]
        self._notify()

    def open_service(self, service_id: str) -> None:
        self.open(service_screen(service_id))

    def detour_home(self, screen: str) -> None:
        """The villager's next way home from here (首页, or 返回 with only home behind) opens ``screen``
        first: the 好差评 after a receipt. A reset (``home``) goes straight home and forgets it."""
        self._detour = screen

    def back(self) -> None:
        """返回, pressed or said."""
        if len(self._stack) == 2 and self._detour is not None:
            self._take_detour()
        elif len(self._stack) > 1:
            left = self._stack.pop()
            if left == self._detoured:  # back at her receipt from the faces: they wait for her way home again
                self._detour, self._detoured = left, None
            self._notify()

    def leave(self) -> None:
        """首页, pressed or said: home, by the detour if one is set."""
        if self._detour is not None and not self.at_home:
            self._take_detour()
        else:
            self.home()

    def _take_detour(self) -> None:
        screen, self._detour = self._detour, None
        self._detoured = screen
        self._stack.append(screen)
        self._notify()

    def home(self) -> None:
        """Home at once: the session ends (a time-out, a sign-out, the end of a detour)."""
        self._detour = self._detoured = None
        if not self.at_home:
            self._stack = [HOME]
            self._notify()

    def _notify(self) -> None:
        for listener in self._listeners:
            listener(self.current)
