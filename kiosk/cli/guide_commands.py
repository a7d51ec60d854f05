"""``kiosk guides``: "how to do it here" guides made from the kiosk's own screens (``build``), and
the county's pushed guide sets: the one in use and the one downloading (``status``), a county's
manifest with every file's checksum (``manifest``)."""

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
    status = actions.add_parser("status", help="the county guide set in use and the one downloading")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=guide_status)
    manifest = actions.add_parser("manifest", help="write a county guide set's guide_manifest.json (checksums)")
    manifest.add_argument("folder", type=Path, help="the set: guides.json and guides/GUIDE_ID/FILE")
    manifest.add_argument("--name", required=True, help="what the county calls the set")
    manifest.add_argument("--version", required=True, help="letters, digits, . _ - (e.g. 2026.12-1)")
    manifest.add_argument("--json", action="store_true")
    manifest.set_defaults(handler=write_guide_manifest)


def guide_status(args: argparse.Namespace) -> int:
    from kiosk.services.reference import reference_files

    references = reference_files()
    report = references.guide_sets.progress()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    in_use, downloading = report["in_use"], report["downloading"]
    if in_use is None:
        print(f"在用：终端自带的指南（{len(references.guides())} 个），县里还没有推送过")
    else:
        swapped = time.strftime("%Y-%m-%d %H:%M", time.localtime(in_use["swapped_at"]))
        print(f"在用：{in_use['name']} {in_use['version']}，{in_use['guides']} 个指南，{swapped} 换上")
    if downloading is None:
        print("正在下载：没有")
        return 0
    d = downloading
    line = f"正在下载：{d['name']} {d['version']}，文件 {d['files_done']}/{d['files_total']}，已下 {d['percent']}%"
    print(line + (f"；上次出错：{d['last_error']}" if d["last_error"] else ""))
    return 0


def write_guide_manifest(args: argparse.Namespace) -> int:
    from kiosk.errors import InvalidInput
    from kiosk.services.catalogue import CatalogueError
    from kiosk.services.guide_sets import write_manifest

    try:
        out, manifest = write_manifest(args.folder, args.name, args.version)
    except CatalogueError as error:
        raise InvalidInput(error.message) from None
    summary = {"out": str(out), "id": manifest.id, "guides": len(manifest.guides), "files": len(manifest.media),
               "bytes": manifest.total_bytes}  # fmt: skip
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{out}：{summary['guides']} 个指南，{summary['files']} 个文件，共 {summary['bytes']} 字节")
    return 0


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
