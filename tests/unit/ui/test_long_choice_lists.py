"""A province list longer than five choices: pages of at most five buttons, 「还有别的」 among them."""

import json

import pytest
from PySide6.QtCore import QSize

from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.services.form import MAX_CHOICES, choice_pages
from kiosk.ui.screens.form import MORE
from kiosk.ui.shell import build_shell, render
from tests.helpers.audit import audit

SUBSIDIES = ["耕地地力保护补贴", "农机购置补贴", "稻谷生产者补贴", "高龄津贴", "生态补贴", "养殖补贴", "危房改造补贴"]


@pytest.mark.parametrize("count", range(1, 16))
def test_every_page_has_at_most_five_buttons_and_nothing_is_lost(count):
    options = list(range(count))
    pages = choice_pages(options)
    assert [o for page in pages for o in page] == options
    assert all(len(page) + (len(pages) > 1) <= MAX_CHOICES for page in pages)


def test_seven_subsidy_types_page_through_and_the_second_page_answers(qapp, qtbot, tmp_path):
    shipped = ["farmland_protection", "farm_machinery", "grain_producer", "elderly_allowance"]  # the catalogue's
    items = [{"id": shipped[n] if n < 4 else f"s{n}", "label": label} for n, label in enumerate(SUBSIDIES)]
    (tmp_path / "subsidy_types.json").write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    shell = build_shell(qapp, dpi=102, catalogue=load_catalogue(tmp_path, offline_cache_dir()))
    render(shell, "home", QSize(1280, 800))
    shell.services.begin(shell.catalogue.service("subsidy"))
    form = shell.services.form
    assert [b.text() for b in form.buttons] == [*SUBSIDIES[:4], MORE]
    assert form.question.text().endswith("（第 1 页，共 2 页）")
    assert audit(shell.window, shell.theme) == []
    form.buttons[-1].click()
    assert [b.text() for b in form.buttons] == [*SUBSIDIES[4:], MORE]
    form.buttons[1].click()
    assert form.form.answers["subsidy_type"] == "s5" and shell.window.step.text() == "第 2 步 / 共 3 步"  # no area
    shell.window.close()
