"""The kiosk's devices, real or simulated, as configured: the app only sees how to open each.

With nothing configured the kiosk runs on simulators: the ID-card reader simulator on a
pseudo-terminal (driven through the real serial driver) and a camera that shows a still photo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.app.receipt_printer import EscPosPrinter
from kiosk.config import DeviceConfig
from kiosk.identity.card_reader import CardReader, SerialCardReader
from kiosk.identity.card_simulator import CardReaderSimulator
from kiosk.identity.vendor_sdk import VendorSdkReader, parse_sdk_spec
from kiosk.paths import assets_dir

if TYPE_CHECKING:
    from kiosk.identity.face.camera import Camera

DEMO_FACE = "demo/face.jpg"


@dataclass
class Devices:
    open_reader: Callable[[], CardReader]
    open_camera: Callable[[], Camera]
    simulated_reader: CardReaderSimulator | None = None
    printer: EscPosPrinter | None = None

    def close(self) -> None:
        if self.simulated_reader is not None:
            self.simulated_reader.unplug()


def devices_from(config: DeviceConfig) -> Devices:
    printer = EscPosPrinter(config.printer) if config.printer else None
    if config.card_reader:
        return Devices(reader_opener(config.card_reader), camera_opener(config.camera), printer=printer)
    simulator = CardReaderSimulator(present=False)
    simulator.plug()
    return Devices(reader_opener(simulator.path), camera_opener(config.camera), simulator, printer)


def reader_opener(spec: str) -> Callable[[], CardReader]:
    """``spec`` is a serial device or ``sdtapi:LIBRARY@PORT`` for the vendor's SDK."""
    if spec.startswith("sdtapi:"):
        library, sdk_port = parse_sdk_spec(spec)
        return lambda: VendorSdkReader(library, sdk_port)
    return lambda: SerialCardReader(spec)


def camera_opener(camera: str | None) -> Callable[[], Camera]:
    """Opened on the camera's worker thread, which is also where OpenCV is first imported."""

    def open_camera() -> Camera:
        from kiosk.identity.face.camera import FileCamera, OpenCvCamera

        if camera is None:
            return FileCamera([assets_dir() / DEMO_FACE], fps=15)
        if camera.isdigit() or camera.startswith("/dev/"):
            return OpenCvCamera(int(camera) if camera.isdigit() else camera)
        return FileCamera([camera], fps=15)

    return open_camera
