"""An overall deadline for a whole request, whatever the province does.

``requests`` time-outs bound each socket operation, not the request: a province that drips its
reply a byte a second never trips them. Inside ``within(seconds)``, every connection the session
uses is watched, and when the time is up its socket is shut, which ends any send or read in
progress at once; the request then fails as a dropped connection and ``expired`` says why.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

if TYPE_CHECKING:
    from collections.abc import Iterator

_current = threading.local()


class Watch:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def add(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _shut(connection)


def _shut(connection: HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            # socket.socket's own shutdown, also for TLS: it wakes the thread blocked in this socket.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextmanager
def within(seconds: float) -> Iterator[Watch]:
    watch = Watch(seconds)
    _current.watch = watch
    watch._timer.start()
    try:
        yield watch
    finally:
        watch._timer.cancel()
        _current.watch = None


def _watched(connection: HTTPConnection) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.add(connection)


class _HTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs):
        _watched(self)
        return super().request(*args, **kwargs)


class _HTTPSConnection(HTTPSConnection):
    def connect(self):
        _watched(self)  # the TLS handshake is part of the request's time too
        return super().connect()

    def request(self, *args, **kwargs):
        _watched(self)
        return super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """Mounted on the client's session: connections that ``within`` can watch."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
