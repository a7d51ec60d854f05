"""Guides: tap to a video's first frame painted, memory while it plays, and building every service's guide.

    python bench/guides.py [--repeats 10]

1. Tap 看视频 on the subsidy guide to the video's first frame painted, offscreen, through the real
   widgets: the first tap of a fresh kiosk process (Qt's video machinery loads then), and later taps.
   Baseline in the same run: a bare QMediaPlayer with a QVideoSink, from setSource to its first
   frame, for the same file (the decoder's own start). Target (issue 13): <= 500 ms.
2. Resident memory while the guide video plays (the first time, and after many plays: the decoder's
   threads keep their malloc arenas, so it settles higher), against the same kiosk process before
   the tap and after leaving, and against a bare QMediaPlayer playing the same file.
3. `kiosk guides build` for every service, against the same build without narration and video
   (the screens alone), as whole processes; with the realtime factor (seconds of video a second).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def probe_kiosk(repeats: int) -> dict:
    """In a fresh process: tap 看视频 ``repeats`` times; the first tap is cold."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtTest import QTest

    from kiosk.ui.shell import application, build_shell, render

    app = application(offscreen=True)
    shell = build_shell(app, dpi=102)
    render(shell, "home", QSize(1920, 1080))
    guide = next(g for g in shell.guides.topics.guides if g.id == "subsidy_here")
    before = rss_mib()
    taps, playing = [], []
    for _ in range(repeats):
        shell.guides.open_guide(guide)
        app.processEvents()
        painted = []
        start = time.perf_counter()
        QTest.mouseClick(shell.guides.steps.video_button, Qt.MouseButton.LeftButton)
        shell.guides.video.surface.frame_painted.connect(lambda p=painted: p.append(time.perf_counter()))
        while not painted and time.perf_counter() - start < 5:
            app.processEvents()
        taps.append((painted[0] if painted else float("inf")) - start)
        QTest.mouseClick(shell.guides.video.play_button, Qt.MouseButton.LeftButton)
        until = time.perf_counter() + 1.5
        peak = 0.0
        while time.perf_counter() < until:
            app.processEvents()
            peak = max(peak, rss_mib())
        playing.append(peak)
        shell.guides.video.surface.frame_painted.disconnect()
        QTest.mouseClick(shell.window.back_button, Qt.MouseButton.LeftButton)
        app.processEvents()
    after = rss_mib()
    return {"taps": taps, "before": before, "playing": playing, "after": after}


def probe_bare() -> dict:
    """In a fresh process: a bare player's start to first frame, and its memory while playing."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    before = rss_mib()
    player, sink, audio = QMediaPlayer(), QVideoSink(), QAudioOutput()
    player.setVideoSink(sink)
    player.setAudioOutput(audio)
    frames = []
    sink.videoFrameChanged.connect(lambda frame: frames.append(time.perf_counter()))
    start = time.perf_counter()
    player.setSource(QUrl.fromLocalFile(str(ROOT / "offline_cache" / "guides" / "subsidy_here" / "video.mp4")))
    player.play()
    playing = []
    while time.perf_counter() - start < 2:
        app.processEvents()
        playing.append(rss_mib())
    return {"first": frames[0] - start, "before": before, "playing": max(playing)}


def probe(kind: str, repeats: int) -> dict:
    command = [sys.executable, __file__, "--probe", kind, "--repeats", str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed_build(extra: list[str]) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-guides-") as out:
        command = [sys.executable, "-m", "kiosk", "guides", "build", "--out", out, "--json", *extra]
        env = dict(os.environ, KIOSK_DATA_DIR=tempfile.mkdtemp(prefix="kiosk-bench-data-"))
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        return time.perf_counter() - start, json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--probe", choices=("kiosk", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        result = probe_kiosk(args.repeats) if args.probe == "kiosk" else probe_bare()
        print(json.dumps(result))
        return 0

    kiosks = [probe("kiosk", args.repeats) for _ in range(3)]
    bares = [probe("bare", 1) for _ in range(3)]
    cold = statistics.median(k["taps"][0] for k in kiosks)
    warm = sorted(t for k in kiosks for t in k["taps"][1:])
    bare_first = statistics.median(b["first"] for b in bares)
    print("tap 看视频 → first frame painted (offscreen, 3 fresh kiosks):")
    print(f"  first tap (video machinery loads) median {cold * 1000:6.0f} ms   target <= 500 ms")
    print(
        f"  later taps   median {statistics.median(warm) * 1000:6.0f} ms   p95 {warm[int(len(warm) * 0.95) - 1] * 1000:6.0f} ms"
    )
    print(
        f"  baseline: bare QMediaPlayer setSource → first frame {bare_first * 1000:6.0f} ms"
        f"   (first tap {cold / bare_first:.1f}x)"
    )

    kiosk = kiosks[0]
    bare = bares[0]
    print("memory (resident):")
    first, steady = kiosk["playing"][0], kiosk["playing"][-1]
    print(
        f"  kiosk before {kiosk['before']:6.1f} MiB, playing the first time {first:6.1f} MiB"
        f" (+{first - kiosk['before']:.1f}), after {args.repeats} plays {steady:6.1f} MiB"
        f" (+{steady - kiosk['before']:.1f}), after leaving {kiosk['after']:6.1f} MiB"
    )
    print(
        f"  bare player before {bare['before']:6.1f} MiB, playing {bare['playing']:6.1f} MiB"
        f" (+{bare['playing'] - bare['before']:.1f}); the kiosk's first play costs"
        f" {(first - kiosk['before']) / (bare['playing'] - bare['before']):.2f}x the bare player's"
    )

    full, report = timed_build([])
    screens, _ = timed_build(["--no-video"])
    seconds = sum(g["seconds"] for g in report["guides"])
    steps = sum(g["steps"] for g in report["guides"])
    print(f"kiosk guides build, all {len(report['guides'])} services ({steps} steps, {seconds:.0f} s of video):")
    print(
        f"  {full:6.1f} s   (screens alone {screens:.1f} s; narration and encoding {full - screens:.1f} s;"
        f" {seconds / full:.1f} s of video per second of building)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
