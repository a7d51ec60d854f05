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
        self.step_label = ""  # 第 n 步 / 共 m 步 on screens that are steps of a service
        self.pictogram = ""  # the icon of the service this screen belongs to, shown beside the title
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(theme.mm(GAP_MM))

    def handle_back(self) -> bool:
        """返回 pressed: True if the screen took a step back itself (a form's previous question)."""
        return False

    def set_voice_available(self, available: bool) -> None:
        """Screens that mention speaking do so only when the kiosk can hear."""

    def on_voice(self, intent) -> None:
        """A spoken answer meant for this screen (yes, no, a number); screens that ask one override this."""

    def spoken_text(self) -> str:
        return f"{self.title}。{self.prompt}"

    def text_to_repeat(self) -> str:
        """What 再听一遍 reads: what was said on entry, unless the screen has more to tell."""
        return self.spoken_text()
