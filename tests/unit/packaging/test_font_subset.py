import importlib.util

from fontTools.ttLib import TTFont

from kiosk.paths import assets_dir, share_dir


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_font_subset", share_dir() / "packaging" / "build_font_subset.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gb2312_set_is_complete():
    chars = _builder().gb2312_characters()
    assert len([c for c in chars if "\u4e00" <= c <= "\u9fff"]) == 6763


def test_every_character_in_the_kiosk_sources_is_in_the_bundled_font():
    builder = _builder()
    font = TTFont(assets_dir() / "fonts" / "KioskSansSC-Regular.otf")
    cmap = font.getBestCmap()
    missing = [c for c in builder.repository_characters() if ord(c) not in cmap and not c.isspace()]
    assert missing == []


def test_subsetting_keeps_the_asked_glyphs_and_renames_the_family(tmp_path):
    builder = _builder()
    target = tmp_path / "tiny.otf"
    builder.build_subset(assets_dir() / "fonts" / "KioskSansSC-Bold.otf", target, "便民服务", "Bold")
    font = TTFont(target)
    assert {ord(c) for c in "便民服务"} <= set(font.getBestCmap())
    assert "国" not in {chr(c) for c in font.getBestCmap()}
    assert font["name"].getDebugName(1) == "Kiosk Sans SC"
    assert target.stat().st_size < 20_000
