"""Write assets/sounds/chime.wav: the two-note chime that calls a volunteer (ding-dong, soft edges).

python packaging/make_chime.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
NOTES = ((659.25, 0.45), (523.25, 0.75))  # E5 then C5: a doorbell, recognisable across a room
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"


def samples() -> list[int]:
    out = []
    for frequency, seconds in NOTES:
        count = int(RATE * seconds)
        for n in range(count):
            t = n / RATE
            envelope = min(1.0, n / (RATE * 0.01)) * math.exp(-3.5 * t)  # quick attack, bell-like decay
            tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
            out.append(int(12_000 * envelope * tone))
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as chime:
        chime.setnchannels(1)
        chime.setsampwidth(2)
        chime.setframerate(RATE)
        data = samples()
        chime.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(OUT)


if __name__ == "__main__":
    main()
