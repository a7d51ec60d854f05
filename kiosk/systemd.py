"""Talking to systemd when it supervises us (``Type=notify``): ready, and the watchdog's "still alive".

The UI sends ``WATCHDOG=1`` from a timer on the Qt event loop, so a frozen loop stops the pings
and systemd restarts the kiosk. The kiosk runs as a child of the display's compositor, so the
unit says ``NotifyAccess=all`` and ``WATCHDOG_PID`` (the compositor's) is deliberately not checked.
"""

from __future__ import annotations

import os
import socket


def notify(message: str) -> bool:
    """Send one state line to systemd; False when not run by systemd or it cannot be reached."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError:
        return False
    return True


def watchdog_interval_ms() -> int | None:
    """How often to ping: half of what systemd allows, or None without a watchdog."""
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return max(1, usec // 2000) if usec > 0 else None
