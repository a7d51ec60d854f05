"""Make the sample county guide set the reference province serves (kiosk/sim/county_guides).

    python packaging/make_county_guides.py

Two guides written as a county would: 医保报销 (three step pictures) and 防电信诈骗 (two step
pictures and a short narrated video), their pictures drawn small with the kiosk's own icons, the
video narrated by the kiosk's speech; then guide_manifest.json with every file's SHA-256 and
size, exactly as ``kiosk guides manifest`` writes it. Small on purpose: the tests download it
over an emulated 16 KiB/s link.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from kiosk.guides.narration import narrate
from kiosk.guides.video import encode
from kiosk.paths import assets_dir
from kiosk.services.guide_sets import write_manifest
from kiosk.services.guides import MEDIA_FOLDER
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.theme import Colours

OUT = Path(__file__).resolve().parent.parent / "kiosk" / "sim" / "county_guides"
WIDTH, HEIGHT = 480, 270
NAME, VERSION = "样例县办事指南", "2026.12-1"
GUIDES = [
    {
        "id": "county_medical_claim",
        "label": "医保报销",
        "steps": [
            ("idcard", "看病时带上身份证和医保卡。"),
            ("coins", "出院时在医院窗口直接结算。"),
            ("book", "不能直接结算的，把发票交到村卫生室。"),
        ],
    },
    {
        "id": "county_phone_fraud",
        "label": "防电信诈骗",
        "steps": [("shield", "陌生人打电话要钱，先挂掉。"), ("volunteer", "拿不准就问村干部或志愿者。")],
        "video": True,
    },
]


def picture(icon: str, number: int, family: str) -> QImage:
    colours = Colours()
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colours.primary))
    painter.drawEllipse(QRectF(WIDTH / 2 - 95, 45, 190, 190))
    QSvgRenderer(str(assets_dir() / "icons" / f"{icon}.svg")).render(painter, QRectF(WIDTH / 2 - 60, 80, 120, 120))
    painter.setPen(QColor(colours.text))
    painter.setFont(QFont(family, 40, QFont.Weight.Bold))
    painter.drawText(QRectF(20, 10, 90, 70), Qt.AlignmentFlag.AlignCenter, str(number))
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    family = load_bundled_fonts(assets_dir() / "fonts")
    items = []
    for guide in GUIDES:
        folder = OUT / MEDIA_FOLDER / guide["id"]
        folder.mkdir(parents=True, exist_ok=True)
        scenes = []
        steps = []
        for number, (icon, text) in enumerate(guide["steps"], start=1):
            image = picture(icon, number, family)
            image.save(str(folder / f"{number}.png"), "PNG")
            steps.append({"picture": f"{guide['id']}/{number}.png", "text": text})
            scenes.append((image, text))
        item = {"id": guide["id"], "label": guide["label"], "steps": steps}
        if guide.get("video"):
            sounds = narrate([text for _, text in scenes])
            cues = encode(
                folder / "video.mp4",
                [(image, text, sound) for (image, text), sound in zip(scenes, sounds, strict=True)],
            )
            subtitles = [{"start": c.start_s, "end": c.end_s, "text": c.text} for c in cues]
            item["video"] = {"file": f"{guide['id']}/video.mp4", "subtitles": subtitles}
        items.append(item)
    (OUT / "guides.json").write_text(
        json.dumps({"version": 2, "items": items}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    out, manifest = write_manifest(OUT, NAME, VERSION)
    print(f"{out}: {len(manifest.guides)} guides, {len(manifest.media)} files, {manifest.total_bytes} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
