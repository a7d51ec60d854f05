"""Every line the kiosk speaks has a key, so a station can record it in its own dialect.

Each screen and each example state (kiosk/ui/examples.py) is rendered through the real flows; all
it says (on entry, and on 再听一遍) must be fixed lines in the registry, or explicitly dynamic
parts: a name or free-text answer marked ``Free``, or a number, amount, date or code (joined from
recorded blocks). A new screen that says plain text fails here with the text it said: declare it
with ``phrase("screen.GROUP.NAME", "…")`` where it is used (see kiosk/voice/lines.py), or mark a
dynamic part ``Free(…)``.
"""

import pytest
from PySide6.QtCore import QSize

from kiosk.app.session import Person
from kiosk.ui.examples import example_states, render_state
from kiosk.ui.lines import screen_lines
from kiosk.ui.screens.answer import ANSWER
from kiosk.ui.screens.form import FORM
from kiosk.ui.screens.guides import GUIDE
from kiosk.ui.screens.receipt import RECEIPT
from kiosk.ui.shell import build_shell
from kiosk.voice.lines import Free, Phrase, phrase
from kiosk.voice.planner import SpeechPlanner, station_registry
from tests.helpers.speech import RecordingSpeaker

BARE = (FORM, RECEIPT, GUIDE, ANSWER)  # only ever open with content: their example states stand in


@pytest.fixture(scope="module")
def planner():
    return SpeechPlanner(station_registry(screen_lines()))


def test_every_line_spoken_on_every_screen_and_example_state_is_keyed(qapp, planner):
    recorder = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=recorder)
    names = [n for n in shell.screen_ids() if n not in BARE] + list(example_states(shell))
    unkeyed, checked = {}, 0
    for name in names:
        shell.session.check_in(Person("张秀英", "410102195001012343", "card"))
        before = len(recorder.spoken)
        render_state(shell, name, QSize(1280, 800))
        shell.window.repeat()
        screen = shell.window.current_screen()
        for spoken in [*recorder.spoken[before:], screen.spoken_text(), screen.text_to_repeat()]:
            checked += 1
            found = planner.unkeyed(spoken)
            if found:
                unkeyed.setdefault(name, []).extend(found)
    shell.window.close()
    assert checked > 2 * len(names)
    assert unkeyed == {}, "key these lines with phrase(), or mark a dynamic part Free()"


def test_plain_text_no_line_says_is_caught_and_marked_or_keyed_parts_pass(planner):
    """The check above can fail: text nobody declared is reported, declared and dynamic parts are not."""
    assert planner.unkeyed(["没人登记过的一句话。"]) == ["没人登记过的一句话。"]
    assert planner.unkeyed([Free("张某英"), "。", "单号 K7QM-3XD9", "，", "3.50元"]) == ["单号"]
    assert planner.unkeyed(Phrase("screen.nowhere.line", "一句")) == ["screen.nowhere.line（不在登记表里）"]
    declared = phrase("screen.receipt.saved", "已经保存好了。")
    assert planner.unkeyed([declared, "办好了请点「首页」。", " 30斤。"]) == []
    assert planner.unkeyed([Phrase("screen.receipt.saved", "改过的文字")]) == [
        "screen.receipt.saved（文字和登记的不同）"
    ]


def test_every_screen_line_is_declared_once_with_a_group_and_reaches_the_registry(planner):
    lines = screen_lines()
    assert len({line.key for line in lines}) == len(lines) > 50
    assert all(line.key in planner.registry and line.key.startswith(f"screen.{line.group}.") for line in lines)
