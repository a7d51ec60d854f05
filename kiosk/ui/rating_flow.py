"""好差评 in the flow: offered once a receipt or an answer has been seen, on the villager's way home.

The receipt (or the answer) stays as long as she wants it; the way home she takes from it (首页, or
返回 with only home behind) passes the faces first. Skipping is one tap; the time-out goes straight
home. A face tapped is thanked at once and saved on a worker; a rating that cannot be saved is logged,
never her problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.ui.work import BackgroundWork

if TYPE_CHECKING:
    from kiosk.app.navigation import Navigator
    from kiosk.app.rate import Rate, Rating, Reason
    from kiosk.services.catalogue import Service
    from kiosk.ui.screens.rating import RatingScreen
    from kiosk.ui.window import KioskWindow

THANKS_MS = 5000  # thanked, then home: nothing is left to do here


class RatingFlow(QObject):
    def __init__(self, window: KioskWindow, navigator: Navigator, rate: Rate) -> None:
        super().__init__(window)
        self._window = window
        self._navigator = navigator
        self._rate = rate
        self._work = BackgroundWork(self, "rating")
        self._request_id: str | None = None
        self.screen: RatingScreen | None = None  # made at the first receipt, never at start-up
        self._home_soon = QTimer(self)
        self._home_soon.setSingleShot(True)
        self._home_soon.timeout.connect(navigator.home)
        navigator.subscribe(self._on_screen)

    def offer(self, service: Service, request_id: str) -> None:
        """The request just shown as a receipt or an answer: rated on the way home from it."""
        self._request_id = request_id
        screen = self._rating_screen()
        screen.ask(service.icon)
        self._navigator.detour_home(screen.screen_id)

    def _rating_screen(self) -> RatingScreen:
        if self.screen is None:
            from kiosk.ui.screens.rating import RatingScreen

            window = self._window
            self.screen = RatingScreen(window.theme)
            window.add_screen(self.screen)
            self.screen.rated.connect(self._rated)
            self.screen.skipped.connect(self._navigator.home)
            self.screen.moved.connect(lambda: (window.refresh_header(), window.speak_current()))
        return self.screen

    def _rated(self, rating: Rating, reasons: tuple[Reason, ...]) -> None:
        request_id, self._request_id = self._request_id, None
        if request_id is not None:
            self._work.run(lambda: self._rate(request_id, rating, reasons))
        self._home_soon.start(THANKS_MS)

    def _on_screen(self, screen_id: str) -> None:
        if self.screen is None or screen_id != self.screen.screen_id:
            self._home_soon.stop()
        if self._navigator.at_home:
            self._request_id = None

    def shutdown(self) -> None:
        self._work.shutdown()
