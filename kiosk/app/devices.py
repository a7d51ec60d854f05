"""The kiosk's devices, real or simulated, as configured: the app only sees how to open each.

With nothing configured the kiosk runs on simulators: the ID-card reader simulator on a
pseudo-terminal (driven through the real serial driver) and the demo camera, a villager made from
one photo who walks up to the kiosk, does the actions asked and is lit by the screen's flash.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.paths import assets_dir

if TYPE_CHECKING:  # the devices are opened after the home screen is painted: their drivers load then
    from collections.abc import Callable

    from kiosk.app.receipt_printer import EscPosPrinter
    from kiosk.config import DeviceConfig
    from kiosk.identity.card_reader import CardReader
    from kiosk.identity.card_simulator import CardReaderSimulator
    from kiosk.identity.face.camera import Camera
    from kiosk.store.face_templates import Enrolled

log = logging.getLogger(__name__)
DEMO_FACE = "demo/face.jpg"
CAMERA_BROKEN = "摄像头出了问题"


class DeviceState(StrEnum):
    """A device as the UI last saw it, in the heartbeat the county's fleet page shows."""

    OK = "ok"
    LOST = "lost"  # the card reader went away (unplugged); the kiosk keeps trying to open it again
    FAILED = "failed"  # the camera would not open or gave no picture


class DeviceReport:
    """The devices' states as the UI saw them: written on the GUI thread, read by the relay's heartbeat."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, str] = {}

    def report(self, device: str, state: DeviceState) -> None:
        with self._lock:
            self._states = self._states | {device: str(state)}

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._states)


@dataclass
class Devices:
    open_reader: Callable[[], CardReader]
    open_camera: Callable[[], Camera]
    simulated_reader: CardReaderSimulator | None = None
    printer: EscPosPrinter | None = None
    demo_faces: Callable[[], list[Enrolled]] | None = None  # demo mode: the demo card holder's face, enrolled

    def camera(self) -> Camera:
        """Open the camera (on the camera's thread). Whatever its driver raises becomes one plain failure the
        screen can offer the card for; the technician finds the cause, with its traceback, in the log."""
        try:
            return self.open_camera()
        except KioskError:
            raise
        except Exception as error:
            log.exception("camera failed to open")
            raise KioskError(CAMERA_BROKEN) from error

    def close(self) -> None:
        if self.simulated_reader is not None:
            self.simulated_reader.unplug()


def devices_from(config: DeviceConfig) -> Devices:
    from kiosk.app.receipt_printer import EscPosPrinter
    from kiosk.identity.card_simulator import CardReaderSimulator

    printer = EscPosPrinter(config.printer) if config.printer else None
    demo = demo_enrolment() if config.camera is None and not config.card_reader else None
    if config.card_reader:
        return Devices(reader_opener(config.card_reader), camera_opener(config.camera), printer=printer)
    simulator = CardReaderSimulator(present=False)
    simulator.plug()
    return Devices(reader_opener(simulator.path), camera_opener(config.camera), simulator, printer, demo)


def demo_enrolment() -> Callable[[], list[Enrolled]]:
    """Demo mode, with both the card and the camera simulated: the simulated card's holder counts as
    enrolled at this station with the demo camera's face, so a face check-in can be shown end to end.
    Never with a real reader or camera. The template is made once, on the camera's thread."""
    made: list[Enrolled] = []

    def enrolled() -> list[Enrolled]:
        if not made:
            import cv2
            import numpy as np

            from kiosk.identity.card_simulator import DEMO_CARD
            from kiosk.identity.face.analyzer import FaceAnalyzer
            from kiosk.store.face_templates import Enrolled

            image = cv2.imread(str(assets_dir() / DEMO_FACE))
            analyzer = FaceAnalyzer()
            vector = analyzer.embed(image, analyzer.detect(image)).astype(np.float32)
            made.append(Enrolled("demo", DEMO_CARD["name"], DEMO_CARD["id_number"], vector.tobytes()))
        return made

    return enrolled


def reader_opener(spec: str) -> Callable[[], CardReader]:
    """``spec`` is a serial device (its driver loads when first opened, on the reader's thread) or
    ``sdtapi:LIBRARY@PORT`` for the vendor's SDK."""
    if spec.startswith("sdtapi:"):
        from kiosk.identity.vendor_sdk import VendorSdkReader, parse_sdk_spec

        library, sdk_port = parse_sdk_spec(spec)
        return lambda: VendorSdkReader(library, sdk_port)

    def open_serial() -> CardReader:
        from kiosk.identity.card_reader import SerialCardReader

        return SerialCardReader(spec)

    return open_serial


def camera_opener(camera: str | None) -> Callable[[], Camera]:
    """Opened on the camera's worker thread, which is also where OpenCV is first imported."""
    demo_face = []  # the demo photo's face, found once (its landmarks model loads then)

    def open_camera() -> Camera:
        from kiosk.identity.face.camera import FileCamera, OpenCvCamera

        if camera is None:
            from kiosk.identity.face.analyzer import FaceAnalyzer
            from kiosk.identity.face.demo_camera import Approach, DemoLiveCamera

            if not demo_face:
                demo_face.append(DemoLiveCamera.of_photo(assets_dir() / DEMO_FACE, FaceAnalyzer()).photo_and_face)
            return DemoLiveCamera(*demo_face[0], approach=Approach())
        if camera.isdigit() or camera.startswith("/dev/"):
            return OpenCvCamera(int(camera) if camera.isdigit() else camera)
        return FileCamera([camera], fps=15)

    return open_camera
