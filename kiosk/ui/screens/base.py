"""What every villager screen has: a title for the header and a prompt that is spoken.

The title is a text; the prompt is a text or a list of parts (``Spoken``, kiosk/voice/lines.py): fixed
lines declared with ``phrase()`` and dynamic parts marked ``Free``, so a voice pack can say it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.theme import GAP_MM, Theme

if TYPE_CHECKING:
    from kiosk.voice.lines import Spoken


class Screen(QWidget):
    def __init__(self, theme: Theme, screen_id: str, title: str, prompt: Spoken, parent=None):
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

    def has_answers(self) -> bool:
        """True while leaving would throw away answers she has given here."""
        return False

    def set_voice_available(self, available: bool) -> None:
        """Screens that mention speaking do so only when the kiosk can hear."""

    def set_hearable(self, intents: frozenset[str] | None) -> None:
        """Screens that name spoken commands name only those that can be heard (None: every one)."""

    def on_voice(self, intent) -> None:
        """A spoken answer meant for this screen (yes, no, a number); screens that ask one override this."""

    def spoken_text(self) -> Spoken:
        prompt = [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)
        return [self.title, "。", *prompt]

    def text_to_repeat(self) -> Spoken:
        """What 再听一遍 reads: what was said on entry, unless the screen has more to tell."""
        return self.spoken_text()
