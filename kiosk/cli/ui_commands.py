"""``kiosk run`` and ``kiosk screenshot``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from kiosk.errors import InvalidInput, KioskError

SPEECH_DELAY_MS = 300


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
    from PySide6.QtCore import QTimer

    from kiosk.app.background_sync import BackgroundSync
    from kiosk.app.devices import devices_from
    from kiosk.config import load_config
    from kiosk.logs import configure as configure_logs
    from kiosk.paths import data_dir
    from kiosk.ui.shell import application, build_shell, quit_when_painted, report_to_systemd

    configure_logs(data_dir())
    app = application(sys.argv[:1])
    # Qt Multimedia talks as it loads: import it once Qt's messages go to the log.
    from kiosk.app.idle import IdleClock
    from kiosk.ui.idle_guard import IdleGuard
    from kiosk.ui.speaker import QtSpeaker
    from kiosk.ui.voice_control import VoiceControl
    from kiosk.voice.listener import Listener
    from kiosk.voice.microphone import Microphone
    from kiosk.voice.phrases import load_phrases
    from kiosk.voice.recognizer import CommandRecognizer
    from kiosk.voice.tts import SpeechSettings, Synthesizer

    config = load_config()
    sync = BackgroundSync(data_dir())
    devices = devices_from(config.devices)
    app.aboutToQuit.connect(devices.close)
    synthesizer = Synthesizer(
        data_dir() / "speech",
        SpeechSettings(config.voice.voice, config.voice.rate),
        open_planner=lambda: _speech_planner(config.voice),
    )
    speaker = QtSpeaker(synthesizer)
    shell = build_shell(
        app,
        dpi=args.dpi,
        speaker=speaker,
        devices=devices,
        enrolled=sync.enrolled_faces,
        submit=sync.submit,
        answers=sync,
        staff=sync,
    )
    shell.session.subscribe(lambda person: person is None and speaker.reset_volume())
    listener = Listener(
        lambda: CommandRecognizer(config.voice.model_dir()),
        lambda: Microphone(config.voice.microphone),
        load_phrases(shell.catalogue),
        lambda intent: voice.heard.emit(intent),
        lambda state: voice.state.emit(state),
        open_templates=lambda: _taught_commands(config.voice),
    )
    voice = VoiceControl(shell.window, shell.navigator, speaker, listener)
    IdleGuard(shell.window, shell.navigator, IdleClock(config.session.idle_timeout_s, config.session.idle_warning_s))
    shell.checkin.device_state.connect(sync.report_device)
    shell.checkin.face_config = config.face
    app.aboutToQuit.connect(listener.stop)
    app.aboutToQuit.connect(synthesizer.close)
    shell.follow(sync)
    app.aboutToQuit.connect(sync.stop)
    report_to_systemd(shell)
    if args.quit_when_ready:
        quit_when_painted(shell)
    if args.windowed:
        shell.window.resize(1280, 800)
        shell.window.show()
    else:
        shell.window.show_kiosk()
    # After the first paint: the home screen never waits for disk, network, speech or the voice model;
    # the voice follows a moment after the picture.
    QTimer.singleShot(0, sync.start)
    QTimer.singleShot(SPEECH_DELAY_MS, speaker.report_audio)
    for start in (synthesizer.start, listener.start):
        QTimer.singleShot(SPEECH_DELAY_MS, start)
    return _leave(app.exec())


def _leave(code: int) -> NoReturn:
    """End the process without finalising the interpreter.

    Background threads are daemons; one still starting when the kiosk quits (``--quit-when-ready``
    quits right after the first paint) may be inside a Rust extension's import (cryptography's), and
    a daemon thread meeting interpreter finalisation there aborts the whole process. Everything
    durable is committed by then, and sync.stop() has let a running relay finish its step."""
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _speech_planner(voice):
    """On the speech thread, after the first paint: the catalogue's lines and the station's voice pack."""
    from kiosk.voice.planner import open_planner

    return open_planner(voice.pack_dir())


def _taught_commands(voice):
    """On the listener thread: the commands the station taught, decrypted from the store."""
    from kiosk.paths import data_dir
    from kiosk.voice.teaching import open_taught

    return open_taught(data_dir(), voice.template_threshold, voice.template_margin)


def take_screenshot(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QSize

    from kiosk.ui.shell import application, build_shell, example_states, render_state

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
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render_state(shell, name, QSize(*args.size)).save(str(target), "PNG"):
            raise KioskError(f"写不进 {target}")
        written.append(str(target))
    print(json.dumps({"written": written}) if args.json else "\n".join(written))
    return 0
