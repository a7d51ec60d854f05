"""Liveness evidence as the kiosk sends it with a pension certification (kiosk/identity/face/session.py)."""

import copy

LIVE = {
    "method": "live",
    "passed": True,
    "failure": None,
    "checks": {"actions": True, "flash": True},
    "actions": {"asked": ["turn_left", "blink", "nod"], "seen_at_s": [1.9, 3.1, 4.4], "time_limits_s": [6.0, 5.0, 6.0]},
    "flash": {
        "colours": ["#ee9b92", "#3ec1cf", "#c6ae70", "#84b4f0", "#7fbf90", "#d99ed1", "#ee9b92", "#3ec1cf"],
        "segment_s": 0.4,
        "score": 0.93,
        "min_score": 0.65,
        "strength": 0.041,
        "min_strength": 0.01,
        "lag_s": 0.117,
        "frames": 45,
    },
}


def live_evidence(**changes) -> dict:
    """The evidence of a passed live check, with ``changes`` ("flash.score": 0.2) applied."""
    evidence = copy.deepcopy(LIVE)
    for path, value in changes.items():
        *parents, key = path.split(".")
        target = evidence
        for parent in parents:
            target = target[parent]
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return evidence


DELETE = object()
