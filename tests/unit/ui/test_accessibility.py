"""Every screen, at the sizes and densities of real kiosk panels, meets DESIGN.md §8."""

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.app.session import Person
from kiosk.ui.examples import example_states, render_state
from kiosk.ui.shell import build_shell, render
from tests.helpers.audit import audit, contrast

# (width, height, physical dpi): a 21.5-inch and a 15.6-inch 1080p panel, a 10.1-inch 1280x800 one.
PANELS = [(1920, 1080, 102), (1920, 1080, 141), (1280, 800, 149), (1280, 800, 96)]


@pytest.fixture(params=PANELS, ids=lambda p: f"{p[0]}x{p[1]}@{p[2]}dpi")
def panel_shell(request, qapp):
    width, height, dpi = request.param
    shell = build_shell(qapp, dpi=dpi)
    yield shell, QSize(width, height)
    shell.window.close()
    shell.window.deleteLater()


def test_every_screen_passes_the_audit(panel_shell):
    """With the longest content each screen can show: a long minority name, the face fallback offered
    (an example state)."""
    shell, size = panel_shell
    shell.session.check_in(Person("阿依古丽·买买提", "65312119620315002X", "card"))
    shell.window.show_voice_state("listening")
    problems = {}
    for screen_id in [*shell.screen_ids(), *example_states(shell)]:
        render_state(shell, screen_id, size)
        found = audit(shell.window, shell.theme)
        if shell.window.size() != size:
            found.append(f"needs {shell.window.size().toTuple()}, more than the {size.toTuple()} panel")
        if found:
            problems[screen_id] = found
    assert problems == {}


def test_audit_catches_small_text_low_contrast_and_clipping(shell):
    """The audit itself must fail a screen that breaks the rules."""
    shell.window.show_voice_state("ready")
    render(shell, "home", QSize(1920, 1080))
    label = shell.window.screens["home"].voice_hint
    label.setStyleSheet("color: #9A9A9A;")
    font = label.font()
    font.setPixelSize(12)
    label.setFont(font)
    button = shell.window.repeat_button
    button.setText("再听一遍给我听听")
    button.setMaximumWidth(shell.theme.mm(40))
    picture = shell.window.screens["home"].service_buttons["subsidy"]
    shell.app.processEvents()
    side = shell.theme.mm(24)
    picture.setIconSize(QSize(side, side))
    problems = "\n".join(audit(shell.window, shell.theme))
    assert "glyphs" in problems and "可以直接说" in problems
    assert "contrast" in problems
    assert "does not fit" in problems
    assert "补贴申领」: picture" in problems and "社保查询」: picture" not in problems


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


RECEIPTS = ("receipt.example", "receipt.online", "receipt.unanswered")


def _ink_columns(image, rect) -> tuple[int, int]:
    """The leftmost and rightmost columns inside ``rect`` with dark ink on them."""
    inked = [
        x
        for x in range(rect.left(), rect.right() + 1)
        if any(image.pixelColor(x, y).lightness() < 100 for y in range(rect.top(), rect.bottom() + 1, 2))
    ]
    return inked[0], inked[-1]


def test_the_receipt_number_is_the_largest_text_centred_and_its_code_at_least_35_mm(panel_shell):
    shell, size = panel_shell
    for state in RECEIPTS:
        render_state(shell, state, size)
        receipt, window = shell.services.receipt, shell.window
        mm = shell.theme.px_per_mm
        texts = [
            w
            for w in window.findChildren(QWidget)
            if isinstance(w, (QLabel, QAbstractButton))
            and w.isVisibleTo(window)
            and w.text()
            and w is not receipt.number
        ]
        ink = lambda w: QFontMetricsF(w.font()).tightBoundingRect(w.text()).height()  # noqa: E731
        largest_other = max(texts, key=ink)
        assert ink(receipt.number) > ink(largest_other), (state, largest_other.text())
        where = QRect(receipt.number.mapTo(window, QPoint(0, 0)), receipt.number.size())
        left, right = _ink_columns(window.grab().toImage(), where)
        assert abs((left + right) / 2 - window.width() / 2) < 1.5 * mm, state
        assert receipt.qr.symbol_side() / mm >= 35, state
        assert receipt.qr.isVisibleTo(window)
