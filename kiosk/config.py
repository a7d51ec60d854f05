"""Kiosk configuration: a TOML file, overridden by environment variables.

The file is ``KIOSK_CONFIG`` if set, else ``kiosk.toml`` in the data directory; with neither,
the kiosk runs on its demo defaults, which match the reference provincial server's, so the two
work together out of the box on loopback.

| key | environment | default |
| --- | --- | --- |
| provincial_url | KIOSK_PROVINCIAL_URL | http://127.0.0.1:8780 |
| kiosk_id | KIOSK_ID | demo-kiosk-0001 |
| secret | KIOSK_SECRET | the demo secret (never use it outside a demo) |
| sync.batch_size | KIOSK_SYNC_BATCH_SIZE | 100 |
| sync.backoff_base_s | KIOSK_SYNC_BACKOFF_BASE | 2 |
| sync.backoff_cap_s | KIOSK_SYNC_BACKOFF_CAP | 900 (15 min) |
| sync.probe_interval_s | KIOSK_SYNC_PROBE_INTERVAL | 30 |
| sync.timeout_s | KIOSK_SYNC_TIMEOUT | 10 |
| devices.card_reader | KIOSK_CARD_READER | (none: the built-in simulated reader) |

``devices.card_reader`` is a serial device (``/dev/ttyUSB0``) or a vendor SDK as
``sdtapi:/path/to/libsdtapi.so@PORT``.
| devices.camera | KIOSK_CAMERA | (none: the simulated camera showing assets/demo/face.jpg) |

| voice.model_path | KIOSK_VOICE_MODEL | voice-model in the data dir (installed by ``kiosk voice install-model``) |
| voice.voice | KIOSK_VOICE | sit/cmn (espeak-ng's Mandarin) |
| voice.rate | KIOSK_VOICE_RATE | 120 words a minute |
| voice.microphone | KIOSK_MICROPHONE | the system's default input |

| face.match_threshold | KIOSK_FACE_MATCH_THRESHOLD | 0.55 (embedding distance; lower is stricter) |
| face.blink_closed / face.blink_open | | 0.19 / 0.24 (eye aspect ratios) |
| face.turn | | 0.18 (nose movement, in eye spans) |
| face.challenge_frames | | 150 (about ten seconds) |
| face.card_photo_decoder | KIOSK_CARD_PHOTO_DECODER | (none: match against enrolled templates) |

``devices.camera`` is a camera index (``0``), a device (``/dev/video0``), or an image or video file.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.errors import KioskError
from kiosk.paths import data_dir

DEMO_KIOSK_ID = "demo-kiosk-0001"
DEMO_SECRET = "demo-secret-village-kiosk-not-for-production"
DEMO_PORT = 8780


class ConfigError(KioskError):
    pass


@dataclass(frozen=True)
class SyncConfig:
    batch_size: int = 100
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 900.0
    probe_interval_s: float = 30.0
    timeout_s: float = 10.0


@dataclass(frozen=True)
class DeviceConfig:
    card_reader: str | None = None
    camera: str | None = None


@dataclass(frozen=True)
class VoiceConfig:
    model_path: Path | None = None
    voice: str = "sit/cmn"
    rate: int = 120
    microphone: str | None = None

    def model_dir(self) -> Path:
        return self.model_path or data_dir() / "voice-model"


@dataclass(frozen=True)
class FaceConfig:
    match_threshold: float = 0.55
    blink_closed: float = 0.19
    blink_open: float = 0.24
    turn: float = 0.18
    challenge_frames: int = 150
    card_photo_decoder: Path | None = None


@dataclass(frozen=True)
class Config:
    provincial_url: str = f"http://127.0.0.1:{DEMO_PORT}"
    kiosk_id: str = DEMO_KIOSK_ID
    secret: str = DEMO_SECRET
    sync: SyncConfig = SyncConfig()
    devices: DeviceConfig = DeviceConfig()
    voice: VoiceConfig = VoiceConfig()
    face: FaceConfig = FaceConfig()


_TOP = {"provincial_url": "KIOSK_PROVINCIAL_URL", "kiosk_id": "KIOSK_ID", "secret": "KIOSK_SECRET"}
_SYNC = {
    "batch_size": ("KIOSK_SYNC_BATCH_SIZE", int),
    "backoff_base_s": ("KIOSK_SYNC_BACKOFF_BASE", float),
    "backoff_cap_s": ("KIOSK_SYNC_BACKOFF_CAP", float),
    "probe_interval_s": ("KIOSK_SYNC_PROBE_INTERVAL", float),
    "timeout_s": ("KIOSK_SYNC_TIMEOUT", float),
}


def config_path() -> Path:
    configured = os.environ.get("KIOSK_CONFIG")
    return Path(configured) if configured else data_dir() / "kiosk.toml"


def load_config() -> Config:
    path = config_path()
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: 读不出来（{error}）") from None
    top = {key: str(raw[key]) for key in _TOP if key in raw}
    top.update({key: os.environ[env] for key, env in _TOP.items() if env in os.environ})
    sync_raw = raw.get("sync", {})
    sync = {}
    for key, (env, kind) in _SYNC.items():
        value = os.environ.get(env, sync_raw.get(key))
        if value is None:
            continue
        try:
            sync[key] = kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"sync.{key}（或 {env}）应是数字，现在是「{value}」") from None
        if sync[key] <= 0:
            raise ConfigError(f"sync.{key}（或 {env}）应大于 0，现在是 {value}")
    device_raw = raw.get("devices", {})
    devices = DeviceConfig(
        card_reader=os.environ.get("KIOSK_CARD_READER", device_raw.get("card_reader")),
        camera=os.environ.get("KIOSK_CAMERA", device_raw.get("camera")),
    )
    voice_raw = raw.get("voice", {})
    model = os.environ.get("KIOSK_VOICE_MODEL", voice_raw.get("model_path"))
    rate = os.environ.get("KIOSK_VOICE_RATE", voice_raw.get("rate", 120))
    try:
        rate = int(rate)
    except (TypeError, ValueError):
        raise ConfigError(f"voice.rate（或 KIOSK_VOICE_RATE）应是整数，现在是「{rate}」") from None
    voice = VoiceConfig(
        model_path=Path(model) if model else None,
        voice=os.environ.get("KIOSK_VOICE", voice_raw.get("voice", "sit/cmn")),
        rate=rate,
        microphone=os.environ.get("KIOSK_MICROPHONE", voice_raw.get("microphone")),
    )
    config = Config(**top, sync=SyncConfig(**sync), devices=devices, voice=voice, face=_face(raw.get("face", {})))
    _check_url(config.provincial_url)
    return config


def _face(raw: dict) -> FaceConfig:
    values: dict = {}
    env = {"match_threshold": "KIOSK_FACE_MATCH_THRESHOLD", "card_photo_decoder": "KIOSK_CARD_PHOTO_DECODER"}
    for key, default in FaceConfig().__dict__.items():
        value = os.environ.get(env.get(key, ""), raw.get(key))
        if value is None:
            continue
        if key == "card_photo_decoder":
            values[key] = Path(value)
            continue
        try:
            values[key] = type(default)(value)
        except (TypeError, ValueError):
            raise ConfigError(f"face.{key} 应是数字，现在是「{value}」") from None
    return FaceConfig(**values)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"省平台地址应以 https:// 开头，现在是「{url}」")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(f"省平台地址必须用 https（明文 http 只允许本机测试）：{url}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
