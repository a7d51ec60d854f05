"""Every screen says something when it opens: its title and a prompt of what to do."""

from PySide6.QtCore import QSize

from kiosk.app.session import Person
from kiosk.ui.examples import example_states, render_state
from kiosk.ui.leave_check import ASK
from kiosk.ui.screens.answer import ANSWER
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.guides import GUIDE
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.service_flow import QUERYING
from kiosk.ui.shell import build_shell
from kiosk.ui.text_entry import TYPE_HINT
from kiosk.ui.window import HELP_NOTICE
from kiosk.voice.lines import text_of
from tests.helpers.speech import RecordingSpeaker


def test_every_screen_speaks_its_title_and_prompt_on_entry(qapp):
    recorder = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=recorder)
    # The bare form, receipt and answer screens only ever open with content: their example states stand in.
    bare = (FORM, RECEIPT, GUIDE, ANSWER)
    names = [n for n in shell.screen_ids() if n not in bare] + list(example_states(shell))
    silent = []
    for name in names:
        shell.navigator.open_service("guides" if name != "service.guides" else "subsidy")
        shell.session.check_in(Person("张秀英", "410102195001012343", "card"))
        before = len(recorder.said)
        render_state(shell, name, QSize(1280, 800))
        screen = shell.window.current_screen()
        spoken = recorder.said[before:]
        # Veils over the screen (the idle warning, slow work, 首页 asking first), 叫志愿者's answer and the
        # keyboard opened are no screens: they say their own words.
        own_words = {"idle.warning": "还在吗？", "form.help": HELP_NOTICE, "guide.step.help": HELP_NOTICE,
                     "form.querying": QUERYING, "form.text.keyboard": text_of(TYPE_HINT),
                     "form.leave": ASK}  # fmt: skip
        if name in own_words:
            if not spoken or not spoken[-1].startswith(own_words[name]):
                silent.append((name, spoken[-1:]))
            continue
        if not spoken or not spoken[-1].startswith(screen.title) or len(spoken[-1]) <= len(screen.title) + 2:
            silent.append((name, spoken[-1:]))
    assert silent == []
    shell.window.close()
