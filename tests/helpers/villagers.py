"""espeak-ng standing in for villagers: the same commands said in three Chinese varieties, at
different speeds and pitches, over added noise. Everything is deterministic (fixed settings and
seeds), and each rendering is cached in a folder so a test session speaks each one once.

Mandarin uses espeak-ng's ``sit/cmn-Latn-pinyin``: in espeak-ng 1.51 (Debian 12) plain ``sit/cmn``
reads every character's tone number aloud in English ("你 three 好 three"). Hakka's voice reads
Pha̍k-fa-sṳ romanisation, not characters, so its phrases are written that way.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import wave
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

RATE = 16_000
PAD_S = 0.4

INTENTS = (
    "social_security",
    "subsidy",
    "pension_cert",
    "farm_listing",
    "guides",
    "back",
    "home",
    "repeat",
    "volunteer",
    "yes",
    "no",
    "done",
)


@dataclass(frozen=True)
class Variety:
    name: str
    voice: str
    commands: dict[str, str]  # intent: what a villager says
    off_topic: tuple[str, ...]  # other sentences in the same variety


def _commands(*said: str) -> dict[str, str]:
    return dict(zip(INTENTS, said, strict=True))


VARIETIES = (
    Variety(
        "Mandarin",
        "sit/cmn-Latn-pinyin",
        _commands(
            "社保查询",
            "补贴申领",
            "养老认证",
            "卖农产品",
            "办事指南",
            "返回",
            "首页",
            "再听一遍",
            "叫志愿者",
            "对",
            "不对",
            "好了",
        ),
        ("今天天气很好", "我想去赶集", "你吃饭了吗", "这个多少钱", "明天要下雨", "孩子在上学", "你好", "谢谢", "吃饭"),
    ),
    Variety(
        "Cantonese",
        "sit/yue",
        _commands(
            "社保查询",
            "补贴申领",
            "养老认证",
            "卖农产品",
            "办事指南",
            "返回",
            "首页",
            "再讲一次",
            "叫义工",
            "系",
            "唔系",
            "好喇",
        ),
        ("今日天气好好", "我想去街市", "你食咗饭未", "呢个几多钱", "听日会落雨", "细路仔返学", "你好", "多谢", "食饭"),
    ),
    Variety(
        "Hakka",
        "sit/hak",
        _commands(
            "sa-pó chhà-sìn",
            "pú-thiap sṳn-liâng",
            "yòng-ló ngin-chṳn",
            "mai nùng-sán-phín",
            "phan-sṳ chí-nàm",
            "fán-fì",
            "sú-ya̍p",
            "tsai thang yit-phien",
            "kiau chṳ-ngien-chá",
            "he",
            "m̀ he",
            "hó-le",
        ),
        (
            "kîm-pû thiên-hi hen hó",
            "ngài yiu hi sṳ-chhòng",
            "ngì sṳt-fan mò",
            "liá-ke kí-to chhièn",
            "thiên-kong lo̍k-sú",
            "se-nga-tsṳ thu̍k-sû",
            "ngì hó",
            "to-chhia",
            "sṳt-fan",
        ),
    ),
)

# How a villager says a command while teaching (a quiet room), and later at the kiosk (other speeds
# and pitches, over more noise). Teaching uses the first three (tests) or five (benchmark).
TEACHING = ((130, 50, 35), (110, 35, 35), (170, 65, 35), (150, 50, 35), (130, 65, 35))
_TAUGHT = {(speed, pitch) for speed, pitch, _ in TEACHING}
_UNTAUGHT = [(s, p) for s in (110, 130, 150, 170) for p in (35, 50, 65) if (s, p) not in _TAUGHT]
HELD_OUT = tuple((speed, pitch, (40, 30, 20)[i % 3]) for i, (speed, pitch) in enumerate(_UNTAUGHT))


class Voices:
    def __init__(self, cache: Path) -> None:
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def clean(self, text: str, voice: str, speed: int = 130, pitch: int = 50) -> np.ndarray:
        """espeak-ng saying ``text``, at 16 kHz, as float samples in 16-bit units."""
        key = hashlib.sha256(f"{text}|{voice}|{speed}|{pitch}".encode()).hexdigest()[:24]
        path = self.cache / f"{key}.npy"
        if path.exists():
            return np.load(path)
        from scipy.signal import resample_poly

        wav = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", text],
            capture_output=True,
            check=True,
        ).stdout
        with wave.open(io.BytesIO(wav)) as reader:
            rate = reader.getframerate()
            samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float64)
        resampled = resample_poly(samples, 320, 441) if rate == 22_050 else samples
        np.save(path, resampled)
        return resampled

    def pcm(self, text: str, voice: str, speed: int, pitch: int, snr_db: float | None, seed: int) -> bytes:
        """16 kHz mono 16-bit PCM: silence, the speech, silence, with white noise at ``snr_db`` below it."""
        speech = self.clean(text, voice, speed, pitch)
        pad = np.zeros(int(PAD_S * RATE))
        audio = np.concatenate([pad, speech, pad])
        if snr_db is not None:
            audio = audio + noise(len(audio), _power(speech) / 10 ** (snr_db / 10), seed)
        return _int16(audio)


def noise(count: int, power: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(count) * np.sqrt(power)


def silence(seconds: float) -> bytes:
    return bytes(2 * int(seconds * RATE))


def noise_only(seconds: float, rms: float, seed: int) -> bytes:
    return _int16(noise(int(seconds * RATE), rms * rms, seed))


def seed_of(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def write_wav(path: Path, pcm: bytes) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)
    return path


def _power(samples: np.ndarray) -> float:
    voiced = samples[np.abs(samples) > 1]
    return float(np.mean(voiced**2)) if len(voiced) else 1.0


def _int16(samples: np.ndarray) -> bytes:
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()
