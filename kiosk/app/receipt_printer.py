"""An optional thermal receipt, through an ESC/POS printer (python-escpos) when one is configured.

``devices.printer`` is a device file (``/dev/usb/lp0``, written as is; a plain file works too,
which is how the tests read what would be printed) or ``tcp:HOST:PORT`` for a network printer.
Chinese goes in GB 18030 with the printer's Chinese mode on (FS &), as Chinese thermal printers
expect. Printing never stands in the villager's way: a missing or jammed printer is logged.
"""

from __future__ import annotations

import logging
import time

from kiosk.errors import KioskError

log = logging.getLogger(__name__)
CHINESE_ON = b"\x1c\x26"  # FS &


class PrinterUnavailable(KioskError):
    pass


class EscPosPrinter:
    def __init__(self, spec: str) -> None:
        self.spec = spec

    def print_receipt(self, station: str, service_label: str, receipt: str) -> None:
        from escpos.exceptions import Error as EscposError

        printer = self.open()
        try:
            printer._raw(CHINESE_ON)
            printer.set(align="center", bold=True, double_height=True, double_width=True)
            printer._raw(f"{station}\n".encode("gb18030"))
            printer.set(align="center", normal_textsize=True)
            printer._raw(f"{service_label}  回执\n".encode("gb18030"))
            printer.set(align="center", bold=True, double_height=True, double_width=True)
            printer._raw(f"{receipt}\n".encode("ascii"))
            printer.set(align="center", normal_textsize=True)
            printer.qr(receipt, size=6, native=True)
            printer._raw(time.strftime("%Y-%m-%d %H:%M\n").encode("ascii"))
            printer._raw("请保管好回执号\n".encode("gb18030"))
            printer.cut()
        except (OSError, ValueError, EscposError) as error:
            raise PrinterUnavailable(f"小票打印机出错：{_one_line(error)}") from None
        finally:
            printer.close()

    def check(self) -> None:
        """For the self-check: the printer can be opened (raises PrinterUnavailable)."""
        self.open().close()

    def open(self):
        """The python-escpos printer, opened (a device file or a connection)."""
        from escpos.exceptions import Error as EscposError
        from escpos.printer import File, Network

        try:
            if self.spec.startswith("tcp:"):
                _, host, port = self.spec.split(":")
                printer = Network(host, int(port), timeout=5)
            else:
                printer = File(self.spec)
            printer.open()  # python-escpos would otherwise open on the first write
        except (OSError, ValueError, EscposError) as error:
            raise PrinterUnavailable(f"打不开小票打印机 {self.spec}：{_one_line(error)}") from None
        return printer


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def print_quietly(printer: EscPosPrinter | None, station: str, service_label: str, receipt: str) -> None:
    """On a worker: print if there is a printer; a failure is the technician's to see in the log."""
    if printer is None:
        return
    try:
        printer.print_receipt(station, service_label, receipt)
    except PrinterUnavailable as error:
        log.warning("receipt not printed: %s", error.message)
