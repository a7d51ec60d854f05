"""Every screen says something when it opens: its title and a prompt of what to do."""

from PySide6.QtCore import QSize

from kiosk.app.session import Person
from kiosk.ui.shell import build_shell, render


class Recorder:
    def __init__(self):
        self.said = []

    def say(self, text):
        self.said.append(text)

    def stop(self):
        pass


def test_every_screen_speaks_its_title_and_prompt_on_entry(qapp):
    recorder = Recorder()
    shell = build_shell(qapp, dpi=102, speaker=recorder)
    silent = []
    for screen_id in shell.screen_ids():
        shell.navigator.open_service("guides" if screen_id != "service.guides" else "subsidy")
        shell.session.check_in(Person("张秀英", "410102195001012343", "card"))
        before = len(recorder.said)
        render(shell, screen_id, QSize(1280, 800))
        screen = shell.window.screens[screen_id]
        spoken = recorder.said[before:]
        if not spoken or not spoken[-1].startswith(screen.title) or len(spoken[-1]) <= len(screen.title) + 2:
            silent.append(screen_id)
    assert silent == []
    shell.window.close()
