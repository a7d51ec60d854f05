"""``kiosk guides build``: a service's "how to do it here" guide from its real screens.

For each service: walk its screens offscreen with example answers, ring the button to tap with a
pointing hand, keep each picture (1280x720) with its sentence, say the sentences, and encode the
narrated video. The result goes into a folder in the offline cache format (``guides.json`` and
``guides/GUIDE_ID/``), replacing that guide and keeping every other one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from kiosk.errors import InvalidInput, KioskError
from kiosk.guides.marks import mark
from kiosk.services.guides import MAX_STEPS, MEDIA_FOLDER, Guide, Step, Video, merge_guides

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.config import VoiceConfig
    from kiosk.services.catalogue import Catalogue, Service

PICTURE = QSize(1280, 720)
LABELS = {
    "social_security": "怎么在这里查社保",
    "subsidy": "怎么在这里领补贴",
    "pension_cert": "怎么在这里做认证",
    "farm_listing": "怎么在这里卖农产品",
}


@dataclass
class Picture:
    image: QImage  # PICTURE-sized, the button to tap marked
    text: str


def guide_id(service: Service) -> str:
    return f"{service.id}_here"


def label(service: Service) -> str:
    return LABELS.get(service.id, f"怎么在这里办{service.label}")


def buildable(catalogue: Catalogue, service_id: str | None) -> list[Service]:
    """The services that have screens to show: all of them, or the one asked for."""
    if service_id is None:
        return [s for s in catalogue.services if s.fields]
    service = catalogue.service(service_id)
    if not service.fields:
        raise InvalidInput(f"服务 {service_id} 没有要填的内容，不用生成指南")
    return [service]


def pictures(shell, service: Service) -> list[Picture]:
    """The marked pictures of ``service``'s walk through the screens of ``shell``."""
    from kiosk.ui.guide_tour import tour

    made = []
    for stop in tour(shell, service):
        image = stop.picture.convertToFormat(QImage.Format.Format_RGB32)
        if stop.target is not None:
            mark(image, stop.target.toRectF(), shell.theme.px_per_mm)
        smaller = image.scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        made.append(Picture(smaller, stop.text))
    return made


def build(
    shell, services: list[Service], out: Path, video: bool = True, voice: VoiceConfig | None = None
) -> list[Guide]:
    """Write the guides of ``services`` into ``out`` and return them; narrated with ``voice`` (and its
    pack), else the embedded voice."""
    built = [_write_pictures(shell, service, out) for service in services]
    if video:
        from kiosk.guides.narration import narrate
        from kiosk.guides.video import encode

        # One narration for every guide: the speech engine is started once per process (a second
        # start can come up at espeak's default speed).
        sounds = iter(narrate([step.text for guide in built for step in guide.steps], voice))
        for index, guide in enumerate(built):
            path = guide.steps[0].picture.parent / "video.mp4"
            scenes = [(QImage(str(step.picture)), step.text, next(sounds)) for step in guide.steps]
            built[index] = replace(guide, video=Video(path, tuple(encode(path, scenes))))
    merge_guides(out, built)
    return built


def _write_pictures(shell, service: Service, out: Path) -> Guide:
    walked = pictures(shell, service)
    if len(walked) > MAX_STEPS:  # the kiosk would refuse the guide at its next start: the old one stays
        raise KioskError(f"{service.label}的指南走了 {len(walked)} 步，最多 {MAX_STEPS} 步：请把导览的步骤并一并")
    folder = out / MEDIA_FOLDER / guide_id(service)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    steps = []
    for number, picture in enumerate(walked, start=1):
        path = folder / f"{number}.png"
        if not picture.image.save(str(path), "PNG", 9):
            raise KioskError(f"写不进 {path}")
        steps.append(Step(picture.text, path))
    return Guide(guide_id(service), label(service), tuple(steps), None, service.id)
