"""Rebuild the kiosk's bundled CJK font subset.

The kiosk ships a subset of Noto Sans CJK SC (SIL Open Font License 1.1) so that every
kiosk renders Chinese the same, even on a machine with no CJK font installed. The subset
keeps GB 2312 (all 6,763 hanzi and its symbols), printable ASCII, common CJK punctuation,
and every character used in the kiosk's own sources and shipped cache.

The family is renamed to "Kiosk Sans SC" so that tests can tell the bundled font from a
system-installed Noto. Source: Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`).

    python packaging/build_font_subset.py [--source-dir /usr/share/fonts/opentype/noto]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "Kiosk Sans SC"
WEIGHTS = ("Regular", "Bold")
REPO = Path(__file__).resolve().parent.parent
TEXT_SOURCES = ("kiosk", "offline_cache")
TEXT_SUFFIXES = {".py", ".json", ".toml", ".txt", ".md"}
EXTRA = "，。、；：？！「」『』（）《》〈〉【】—…·￥％＋－×÷＝．0123456789●○◆★✓✗→←↑↓"


def gb2312_characters() -> str:
    chars = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def repository_characters(root: Path = REPO) -> str:
    found: set[str] = set()
    for folder in TEXT_SOURCES:
        for path in (root / folder).rglob("*"):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                found.update(path.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in found if c.isprintable()))


def wanted_characters() -> str:
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return "".join(sorted(set(ascii_printable + EXTRA + gb2312_characters() + repository_characters())))


def open_sc_face(path: Path) -> TTFont:
    """Return the Simplified Chinese face of a Noto CJK collection (or a plain font file)."""
    if path.suffix.lower() != ".ttc":
        return TTFont(path)
    for font in TTCollection(path).fonts:
        if "SC" in font["name"].getDebugName(1).split():
            return font
    raise SystemExit(f"{path}: no Simplified Chinese (SC) face in this collection")


def rename(font: TTFont, weight: str) -> None:
    names = font["name"]
    full = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
    postscript = f"KioskSansSC-{weight}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (2, 17):
            names.setName(weight, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(full, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(postscript, 6, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            names.setName(f"{postscript};subset", 3, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = FAMILY


def build_subset(source: Path, target: Path, characters: str, weight: str) -> None:
    font = open_sc_face(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    rename(font, weight)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    parser.add_argument("--out-dir", type=Path, default=REPO / "assets" / "fonts")
    args = parser.parse_args(argv)
    characters = wanted_characters()
    for weight in WEIGHTS:
        source = args.source_dir / f"NotoSansCJK-{weight}.ttc"
        if not source.exists():
            print(f"{source} not found: install Debian's fonts-noto-cjk first", file=sys.stderr)
            return 1
        target = args.out_dir / f"KioskSansSC-{weight}.otf"
        build_subset(source, target, characters, weight)
        print(f"{target}: {len(characters)} characters, {target.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
