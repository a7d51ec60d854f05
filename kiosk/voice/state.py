"""Whether the kiosk can hear, as the screens show it (light: the window imports it before its first paint)."""

from enum import StrEnum


class VoiceState(StrEnum):
    READY = "ready"  # the model is loaded
    LISTENING = "listening"
    PAUSED = "paused"  # the kiosk speaks, or the screen waits for nothing
    UNAVAILABLE = "unavailable"  # no model or no microphone: the kiosk works by touch
