"""What every villager screen has: a title for the header and a prompt that is spoken."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.theme import GAP_MM, Theme


class Screen(QWidget):
    def __init__(self, theme: Theme, screen_id: str, title: str, prompt: str, parent=None):
        super().__init__(parent)
        self.screen_id = screen_id
        self.title = title
        self.prompt = prompt
        self.setProperty("screen", True)
        self.voice_context = "anywhere"  # which spoken commands this screen listens for
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(theme.mm(GAP_MM))

    def set_voice_available(self, available: bool) -> None:
        """Screens that mention speaking do so only when the kiosk can hear."""

    def on_voice(self, intent) -> None:
        """A spoken answer meant for this screen (yes, no, a number); screens that ask one override this."""

    def spoken_text(self) -> str:
        return f"{self.title}。{self.prompt}"
