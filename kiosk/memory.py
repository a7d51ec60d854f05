"""The kiosk's heap over months of use: a bounded number of malloc arenas.

glibc gives threads their own heaps ("arenas", up to eight per core) so that they need not wait for
one another. The kiosk starts a new camera or reader thread for every check-in and photo, each
allocating whole frames; spread over many arenas, the freed memory stays scattered and the process
grows in steps for hours (bench/soak.py). Two arenas are plenty for a kiosk's few threads.
"""

from __future__ import annotations

import ctypes

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the arenas made from now on (call it before the kiosk's threads start); False where the C library
    is not glibc, which then keeps its own ways."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_ARENA_MAX, arenas) == 1
