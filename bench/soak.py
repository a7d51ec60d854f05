"""Memory over thousands of complete services, through the real widgets offscreen: does the kiosk grow?

    python bench/soak.py [--rounds 2000] [--warmup 200] [--every 100]

A round is the four services with forms, as a villager does them, each from home to its receipt and its
好差评: 社保查询 (a card on the first screen, a choice, the receipt of an offline query), 补贴申领 (card, a
choice, the keypad, a phone number), 养老认证 (card, then the live face at the camera: the demo
camera's villager does the actions asked under the flash, the face models and the liveness check run,
the evidence is saved) and 卖农产品 (the seller's card, a photo from the camera, the keypad, a text
line). The card reader is the pty simulator behind the real serial driver, the camera the demo
camera on a clock of its own that moves 1/15 s a frame (so a liveness check takes as many frames as
at the kiosk, but only as long as the CPU needs for them), the store the
real SQLite file (its page cache held small, so that the database growing on disk is not mistaken for
the kiosk growing), and the malloc arenas are limited as ``kiosk run`` limits them (kiosk/memory.py). After ``--warmup`` rounds the resident set is sampled every ``--every`` rounds;
the figure is the growth per service, from a least-squares line through the samples.
Target (issue 17): <= 1 KiB per service.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_DATA_DIR", tempfile.mkdtemp(prefix="kiosk-soak-"))
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from types import SimpleNamespace

from PySide6.QtCore import QCoreApplication, QEvent, QSize

from kiosk.app.backend import Backend
from kiosk.app.devices import Devices
from kiosk.identity.card_reader import SerialCardReader
from kiosk.identity.card_simulator import CardReaderSimulator
from kiosk.identity.face import camera as camera_module
from kiosk.identity.face.analyzer import FaceAnalyzer
from kiosk.identity.face.demo_camera import Approach, DemoLiveCamera
from kiosk.memory import limit_arenas
from kiosk.paths import assets_dir, data_dir
from kiosk.store.store import open_store
from kiosk.ui.screens.form import MORE
from kiosk.ui.shell import application, build_shell, render

SERVICES = ("social_security", "subsidy", "pension_cert", "farm_listing")
FPS = 15


class FrameClock:
    """The demo camera's clock: each frame it makes is 1/15 s after the one before."""

    def __init__(self) -> None:
        self.now = 1000.0

    def tick(self) -> float:
        self.now += 1 / FPS
        return self.now


PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_kib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1024


class Villager:
    """Taps the real buttons and waits, turning the event loop, for what a villager waits for."""

    def __init__(self, shell, app, reader: CardReaderSimulator) -> None:
        self.shell, self.app, self.reader = shell, app, reader

    def settle(self) -> None:
        self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait_for(self, condition, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"soak: stuck on screen {self.shell.navigator.current}")
            self.app.processEvents()
            time.sleep(0.001)

    def tap(self, button) -> None:
        button.click()
        self.settle()

    def tap_text(self, text: str) -> None:
        """Turning 还有别的 as she would: 对，提交 waits behind a long read-back."""
        buttons = self.shell.services.form.buttons
        while text not in (shown := {b.text(): b for b in buttons}) and MORE in shown:
            self.tap(shown[MORE])
            buttons = self.shell.services.form.buttons
        self.tap(shown[text])

    def key_in(self, digits: str) -> None:
        for key in digits:
            self.tap_text(key)
        self.tap_text("确定")

    def check_in_by_card(self, service_id: str) -> None:
        """Her card on the service's first screen, then 继续 to its first question (or to the camera)."""
        self.tap(self.shell.window.screens["home"].service_buttons[service_id])
        self.reader.place_card()
        self.wait_for(lambda: self.shell.navigator.current == "checkin.done")
        self.tap(self.shell.checkin.welcome.continue_button)

    def submit(self) -> None:
        self.tap_text("对，提交")
        self.wait_for(lambda: self.shell.navigator.current == "receipt")
        self.tap(self.shell.window.home_button)  # the 好差评 on the way: 满意, thanked, home
        self.tap(self.shell.rating.screen.face_buttons["satisfied"])
        self.tap(self.shell.window.home_button)

    def social_security(self) -> None:
        self.check_in_by_card("social_security")
        self.tap_text("养老金")
        self.submit()

    def subsidy(self) -> None:
        self.check_in_by_card("subsidy")
        self.tap_text("耕地地力保护补贴")
        self.key_in("12点5")
        self.key_in("13800138000")
        self.submit()

    def pension_cert(self) -> None:
        self.check_in_by_card("pension_cert")  # by card: the live face is proven next, at the camera
        self.wait_for(lambda: self.shell.navigator.current == "form")
        self.submit()

    def farm_listing(self) -> None:
        form = self.shell.services.form
        self.check_in_by_card("farm_listing")  # the seller's card
        self.tap_text("水果")
        self.wait_for(lambda: form.preview is not None and form.preview._image is not None)
        self.tap_text("拍照")
        self.wait_for(lambda: "用这张" in [b.text() for b in form.buttons])
        self.tap_text("用这张")
        self.tap_text("斤")
        self.key_in("30")
        self.key_in("3点5")
        self.tap_text("村委会")  # the station's common answer
        self.key_in("13912345678")
        self.submit()


def slope(samples: list[tuple[int, float]]) -> float:
    """KiB per service, least squares through (services done, RSS KiB)."""
    xs, ys = [x for x, _ in samples], [y for _, y in samples]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in samples) / sum((x - mean_x) ** 2 for x in xs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    # Nobody waits at this soak: the camera's frames come as fast as they are analysed, each 1/15 s
    # later on the camera's own clock (an offline query never waits for its answer).
    clock = FrameClock()
    camera_module.time = SimpleNamespace(monotonic=lambda: clock.now, sleep=time.sleep)  # the frames' read times
    limit_arenas()  # as ``kiosk run`` does before its threads start
    store = open_store(data_dir())
    store.database.conn.execute("PRAGMA cache_size=-256")
    simulator = CardReaderSimulator(present=False)
    simulator.plug()
    demo = DemoLiveCamera.of_photo(assets_dir() / "demo" / "face.jpg", FaceAnalyzer()).photo_and_face
    devices = Devices(
        lambda: SerialCardReader(simulator.path),
        lambda: DemoLiveCamera(*demo, fps=0, clock=clock.tick, approach=Approach()),
        simulator,
    )
    app = application(offscreen=True)
    shell = build_shell(app, devices=devices, backend=Backend.over(store))
    render(shell, "home", QSize(1280, 800))
    villager = Villager(shell, app, simulator)
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    for done in range(1, args.rounds + 1):
        for service in SERVICES:
            getattr(villager, service)()
        if done >= args.warmup and (done - args.warmup) % args.every == 0:
            gc.collect()
            villager.settle()
            samples.append((done * len(SERVICES), rss_kib()))
            print(f"round {done:5d}  RSS {samples[-1][1] / 1024:7.1f} MiB  ({time.monotonic() - started:.0f} s)")
    shell.shutdown()
    simulator.unplug()
    store.close()
    if len(samples) < 2:
        raise SystemExit("soak: too few samples; give more --rounds than --warmup + --every")
    growth = slope(samples)
    services = samples[-1][0] - samples[0][0]
    print(f"{services} services after warm-up: RSS {samples[0][1] / 1024:.1f} -> {samples[-1][1] / 1024:.1f} MiB")
    print(f"growth {growth:.2f} KiB per service (target <= 1 KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
