"""A list of choices as big buttons, a page at a time: at most five on a screen, then 还有别的 turns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout

from kiosk.services.form import choice_pages
from kiosk.ui.theme import GAP_MM
from kiosk.ui.widgets import CHOICE, BigButton, discard

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.ui.theme import Theme

MORE = "还有别的"


class PagedButtons(QGridLayout):
    def __init__(self, theme: Theme, columns: int = 3) -> None:
        super().__init__()
        self.setSpacing(theme.mm(GAP_MM))
        self._theme = theme
        self._columns = columns
        self.buttons: list[BigButton] = []
        self._entries: list[tuple[str, Callable]] = []
        self._page = 0

    def show_entries(self, entries: list[tuple[str, Callable]], first_page: bool = False) -> None:
        """``entries``: (label, action) pairs; the page shown stays unless ``first_page``."""
        self._entries = list(entries)
        self._page = 0 if first_page else self._page
        for button in self.buttons:
            discard(button)
        self.buttons.clear()
        pages = choice_pages(self._entries) if self._entries else [[]]
        self._page %= len(pages)
        shown = list(pages[self._page]) + ([(MORE, self._turn)] if len(pages) > 1 else [])
        for index, (label, action) in enumerate(shown):
            button = BigButton(self._theme, label, CHOICE)
            button.clicked.connect(action)
            self.addWidget(button, index // self._columns, index % self._columns)
            button.show()  # a page turned while on screen: new children are hidden until shown
            self.buttons.append(button)

    def _turn(self) -> None:
        self._page += 1
        self.show_entries(self._entries)
