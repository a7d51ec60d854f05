"""``kiosk guides build``: "how to do it here" guides made from the kiosk's own screens."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def register(commands) -> None:
    guides = commands.add_parser("guides", help="办事指南: build the guides made from the kiosk's screens")
    actions = guides.add_subparsers(dest="guides_action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="render a service's screens into a step guide and a narrated video")
    build.add_argument("--service", help="one service id (default: every service with something to fill in)")
    build.add_argument("--out", type=Path, help="an offline cache folder (default: the shipped offline cache)")
    build.add_argument("--no-video", action="store_true", help="only the pictures and sentences")
    build.add_argument(
        "--station-voice",
        action="store_true",
        help="narrate in this kiosk's configured voice and voice pack (default: the embedded voice, as shipped)",
    )
    build.add_argument("--json", action="store_true")
    build.set_defaults(handler=build_guides)


def build_guides(args: argparse.Namespace) -> int:
    from kiosk.guides.build import build, buildable
    from kiosk.paths import offline_cache_dir
    from kiosk.services.catalogue import load_catalogue
    from kiosk.ui.guide_tour import DPI
    from kiosk.ui.shell import application, build_shell

    started = time.perf_counter()
    voice = None
    if args.station_voice:
        from kiosk.config import load_config

        voice = load_config().voice
    out = args.out or offline_cache_dir()
    out.mkdir(parents=True, exist_ok=True)
    catalogue = load_catalogue(offline_cache_dir())  # the shipped screens, whatever this machine has fetched
    services = buildable(catalogue, args.service)
    shell = build_shell(application(offscreen=True), dpi=DPI, catalogue=catalogue)
    try:
        built = build(shell, services, out, video=not args.no_video, voice=voice)
    finally:
        shell.window.close()
    summary = [
        {
            "id": g.id,
            "label": g.label,
            "steps": len(g.steps),
            "video": str(g.video.path) if g.video else None,
            "seconds": g.video.cues[-1].end_s if g.video else None,
        }
        for g in built
    ]
    if args.json:
        took = round(time.perf_counter() - started, 2)
        print(json.dumps({"out": str(out), "guides": summary, "build_s": took}, ensure_ascii=False))
    else:
        for g in summary:
            video = f"，视频 {g['seconds']:.0f} 秒" if g["video"] else ""
            print(f"{g['id']}「{g['label']}」：{g['steps']} 步{video}")
    return 0
