"""``kiosk run`` and ``kiosk screenshot``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from kiosk.cli.output_paths import in_existing_folder
from kiosk.errors import InvalidInput, KioskError


def register(commands) -> None:
    run = commands.add_parser("run", help="start the kiosk UI (the default)")
    run.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    run.add_argument("--quit-when-ready", action="store_true", help="exit 0 once the home screen is painted")
    run.add_argument("--dpi", type=float, help="the screen's physical dots per inch, if it reports a wrong one")
    run.set_defaults(handler=run_kiosk)

    shot = commands.add_parser("screenshot", help="render a screen offscreen to a PNG")
    shot.add_argument("--screen", default="home", help="a screen id (see --list), or 'all'")
    shot.add_argument("--size", default="1920x1080", type=_size, help="WIDTHxHEIGHT in pixels")
    shot.add_argument("--dpi", type=float, help="physical dots per inch of the screen to imitate")
    shot.add_argument("--out", type=Path, help="the PNG file (a folder with --screen all)")
    shot.add_argument("--list", action="store_true", help="name the screens that can be rendered")
    shot.add_argument("--json", action="store_true", help="machine-readable output")
    shot.set_defaults(handler=take_screenshot)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"{text}: width 320-7680 and height 240-4320 pixels")
    return width, height


def _has_display() -> bool:
    return bool(os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_kiosk(args: argparse.Namespace) -> int:
    if not _has_display():
        raise KioskError(
            "没有找到屏幕（DISPLAY 和 WAYLAND_DISPLAY 都未设置）：请在图形会话中运行，或设 QT_QPA_PLATFORM=offscreen"
        )
    from kiosk.config import load_config
    from kiosk.logs import configure as configure_logs
    from kiosk.paths import data_dir
    from kiosk.ui.shell import application, start_kiosk

    configure_logs(data_dir())
    app = application(sys.argv[:1])
    shell = start_kiosk(app, load_config(), args.dpi, args.quit_when_ready)
    if args.windowed:
        shell.window.show_windowed()
    else:
        shell.window.show_kiosk()
    return _leave(app.exec())


def _leave(code: int) -> NoReturn:
    """End the process without finalising the interpreter.

    Background threads are daemons; one still starting when the kiosk quits moments after its start
    may be inside a Rust extension's import (cryptography's), and
    a daemon thread meeting interpreter finalisation there aborts the whole process. Everything
    durable is committed by then, and the relay runner has let a running relay finish its step."""
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def take_screenshot(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QSize

    from kiosk.ui.examples import example_states, render_state
    from kiosk.ui.shell import application, build_shell

    if args.out is not None:
        in_existing_folder(args.out)
    shell = build_shell(application(offscreen=True), dpi=args.dpi)
    shell.window.show_voice_state("ready")  # screens as they look with a voice model installed
    names = [*shell.screen_ids(), *example_states(shell)]
    if args.list:
        print(json.dumps(names) if args.json else "\n".join(names))
        return 0
    if args.out is None:
        raise InvalidInput("请用 --out 指定 PNG 文件（--screen all 时指定文件夹）")
    if args.screen != "all" and args.screen not in names:
        raise InvalidInput(f"没有这个画面：{args.screen}（可用：{', '.join(names)}）")
    wanted = names if args.screen == "all" else [args.screen]
    written = []
    for name in wanted:
        target = args.out / f"{name}-{args.size[0]}x{args.size[1]}.png" if args.screen == "all" else args.out
        target.parent.mkdir(exist_ok=True)  # --screen all: the folder named by --out, in one that exists
        if not render_state(shell, name, QSize(*args.size)).save(str(target), "PNG"):
            raise KioskError(f"写不进 {target}")
        written.append(str(target))
    print(json.dumps({"written": written}) if args.json else "\n".join(written))
    return 0
