"""The read-back before 对，提交, through the real widgets: what she checks is what she chose, with whose it is."""

from PySide6.QtCore import QSize

from kiosk.ui.examples import render_state
from kiosk.ui.shell import build_shell
from kiosk.ui.widgets import TextLabel


def _shown(shell) -> list[str]:
    return [label.text() for label in shell.services.form.findChildren(TextLabel) if label.isVisible()]


def test_the_listings_price_is_read_back_per_its_unit(qapp):
    shell = build_shell(qapp, dpi=102)
    render_state(shell, "form.confirm", QSize(1920, 1080))
    assert "单价：3.50元/斤" in _shown(shell) and "数量：30斤" in _shown(shell)
    shell.window.close()

