"""Commands taught in the station's own speech: espeak-ng stands in for villagers in Mandarin,
Cantonese and Hakka (different speeds, pitches and noise; all fixed, so every run hears the same).
Each command is taught from three renderings through the real store (encrypted), then held-out
renderings must be recognised and other speech, silence and noise must not be."""

import json
import shutil

import pytest

from kiosk.cli import main
from kiosk.paths import offline_cache_dir
from kiosk.services.catalogue import load_catalogue
from kiosk.voice.features import speech_features
from kiosk.voice.matcher import Intent, IntentMatcher
from kiosk.voice.phrases import load_phrases
from kiosk.voice.recognizer import combine
from kiosk.voice.teaching import load_templates, teach, teachable
from kiosk.voice.templates import Decision
from tests.helpers.villagers import HELD_OUT, TEACHING, VARIETIES, Voices, noise_only, seed_of, silence, write_wav

pytestmark = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng speaks for the villagers")

PHRASES = load_phrases(load_catalogue(offline_cache_dir()))
HOME = set(PHRASES["home"])
KNOWN = teachable(HOME - set(PHRASES["anywhere"]))
TAUGHT = [intent for intent in KNOWN]  # every teachable command: five services, back … no


@pytest.fixture(scope="session")
def voices(tmp_path_factory):
    return Voices(tmp_path_factory.mktemp("villagers"))


def said(voices, variety, text, how, *seed):
    speed, pitch, snr = how
    return voices.pcm(text, variety.voice, speed, pitch, snr, seed_of(variety.name, text, *seed))


@pytest.fixture(scope="session")
def taught_station(voices, tmp_path_factory):
    """One station where a speaker of each variety taught every command three times."""
    from kiosk.store.store import open_store

    store = open_store(tmp_path_factory.mktemp("station"))
    for variety in VARIETIES:
        for intent in TAUGHT:
            recordings = [
                said(voices, variety, variety.commands[intent], how, "teach", n) for n, how in enumerate(TEACHING[:3])
            ]
            teach(store.voices, intent, recordings, f"{variety.name} speaker", True, KNOWN)
    yield store
    store.close()


def screen_of(intent):
    return "confirm" if intent in ("yes", "no") else "home"


@pytest.mark.parametrize("variety", VARIETIES, ids=lambda v: v.name)
def test_held_out_commands_are_recognised_in_each_variety(voices, taught_station, variety):
    templates = load_templates(taught_station.voices)
    right, wrong, missed = 0, [], []
    for intent in TAUGHT:
        for n, how in enumerate(HELD_OUT):
            decision = templates.decide(
                speech_features(said(voices, variety, variety.commands[intent], how, "held", n)),
                PHRASES[screen_of(intent)],
            )
            if decision.intent == intent:
                right += 1
            elif decision.intent is None:
                missed.append((intent, how, decision.reason))
            else:
                wrong.append((intent, how, decision.intent))
    total = len(TAUGHT) * len(HELD_OUT)
    assert wrong == []  # a wrong command is never accepted
    assert right / total >= 0.95, missed  # reached: 77/77 in every variety


@pytest.mark.parametrize("variety", VARIETIES, ids=lambda v: v.name)
def test_other_speech_silence_and_noise_are_rejected(voices, taught_station, variety):
    templates = load_templates(taught_station.voices)
    offered = 0
    for n, sentence in enumerate(variety.off_topic):
        for how in HELD_OUT[:2]:
            pcm = said(voices, variety, sentence, how, "off", n)
            for screen in ("home", "confirm"):
                offered += 1
                assert combine(_decide(templates, pcm, screen), None, None).intent is None, (sentence, how, screen)
    for n in range(3):
        for pcm in (silence(2.0), noise_only(2.0, 500 * (n + 1), seed_of(variety.name, "noise", n))):
            offered += 1
            assert combine(_decide(templates, pcm, "home"), None, None).intent is None
    assert offered == len(variety.off_topic) * 4 + 6  # false accepts: 0 of these


def _decide(templates, pcm, screen):
    from kiosk.voice.features import NoSpeech

    try:
        return templates.decide(speech_features(pcm), PHRASES[screen])
    except NoSpeech:
        return None


def test_teach_recognise_list_and_remove_through_the_kiosk_command(voices, tmp_path, kiosk_data_dir, capsys):
    cantonese = VARIETIES[1]

    def wav(intent, how, *seed):
        name = f"{intent}-{seed_of(*seed, how)}.wav"
        return str(write_wav(tmp_path / name, said(voices, cantonese, cantonese.commands[intent], how, *seed)))

    for intent in ("back", "home", "social_security"):
        files = [arg for n, how in enumerate(TEACHING[:3]) for arg in ("--wav", wav(intent, how, "teach", n))]
        assert main(["voice", "teach", intent, *files, "--speaker", "陈阿婆", "--consent", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["recordings"] == 3

    def recognize(path, screen="home"):
        assert main(["voice", "recognize", "--wav", path, "--screen", screen, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    heard = recognize(wav("social_security", HELD_OUT[2], "held"))
    assert heard["intent"] == "social_security" and heard["engine"] == "templates" and heard["score"] < 40
    assert set(heard) == {"intent", "engine", "score"}
    assert recognize(wav("back", HELD_OUT[4], "held"), "confirm")["intent"] == "back"
    assert recognize(wav("social_security", HELD_OUT[2], "held"), "confirm")["intent"] is None  # not a confirm command
    assert recognize(str(write_wav(tmp_path / "quiet.wav", silence(1.5))))["intent"] is None

    assert main(["voice", "templates", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["templates"]
    assert {(row["speaker"], row["intent"], row["templates"]) for row in listed} == {
        ("陈阿婆", "back", 3),
        ("陈阿婆", "home", 3),
        ("陈阿婆", "social_security", 3),
    }
    raw = (kiosk_data_dir / "kiosk.db").read_bytes() + b"".join(
        p.read_bytes() for p in kiosk_data_dir.glob("kiosk.db-*")
    )
    assert "陈阿婆".encode() not in raw  # the speaker's name, like the voice, is sealed

    assert main(["voice", "templates", "remove", "--speaker", "没有这人"]) == 1
    assert capsys.readouterr().err == "kiosk: 没有叫「没有这人」的说话人，什么也没删（教过命令的有：陈阿婆）\n"
    assert main(["voice", "templates", "remove", "--speaker", "陈阿婆", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"removed": 9}
    assert recognize(wav("social_security", HELD_OUT[2], "held"))["intent"] is None


def test_removing_an_unknown_speakers_commands_says_so_and_exits_1(capsys):
    assert main(["voice", "templates", "remove", "--speaker", "没有这人"]) == 1
    assert capsys.readouterr().err == "kiosk: 没有叫「没有这人」的说话人，什么也没删（还没有人教过命令）\n"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["voice", "teach", "back", "--wav", "A", "--wav", "A", "--wav", "A", "--speaker", "x"], "同意"),
        (["voice", "teach", "fly", "--wav", "A", "--wav", "A", "--wav", "A", "--consent"], "没有这个命令"),
        (["voice", "teach", "back", "--wav", "A", "--consent"], "至少要说 3 遍"),
        (["voice", "teach", "back", "--wav", "CD", "--wav", "A", "--wav", "A", "--consent"], "只收16 kHz"),
        (
            ["voice", "teach", "back", "--wav", "QUIET", "--wav", "A", "--wav", "A", "--consent"],
            "第 1 遍：录音里听不到说话",
        ),
        (["voice", "recognize", "--wav", "CD", "--screen", "home"], "sox"),
    ],
)
def test_refused_teaching_says_why_in_one_line_and_keeps_nothing(voices, tmp_path, capsys, argv, says):
    import numpy as np
    import soundfile

    files = {
        "A": write_wav(tmp_path / "a.wav", said(voices, VARIETIES[0], "返回", TEACHING[0], "t")),
        "QUIET": write_wav(tmp_path / "quiet.wav", silence(1.0)),
        "CD": tmp_path / "cd.wav",
    }
    soundfile.write(files["CD"], np.zeros((44100, 2)), 44100, subtype="PCM_16")
    assert main([str(files.get(arg, arg)) for arg in argv]) == 2
    error = capsys.readouterr().err
    assert says in error and len(error.strip().splitlines()) == 1 and "Traceback" not in error
    assert main(["voice", "templates", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"templates": []}


def _decision(intent, closest, second, reason, score=10.0):
    return Decision(intent, score, closest, 30.0, second, reason)


@pytest.mark.parametrize(
    ("decision", "vosk_heard", "intent", "engine"),
    [
        (_decision("back", "back", "home", "accepted"), "首页", "back", "templates"),  # the station's speech first
        (_decision(None, "back", "home", "too_close"), "首页", "home", "vosk"),  # Vosk breaks a tie
        (_decision(None, "back", "home", "too_close"), "叫志愿者", None, "templates"),  # disagree: nothing
        (_decision(None, "back", "home", "too_far", 90.0), "首页", "home", "vosk"),  # not a taught speaker
        (None, "返回", "back", "vosk"),  # nothing taught on this screen
        (None, "今天天气不错", None, "vosk"),
        (_decision(None, "back", "home", "too_far", 90.0), None, None, "templates"),
    ],
)
def test_how_the_two_engines_are_combined(decision, vosk_heard, intent, engine):
    matcher = IntentMatcher(PHRASES["anywhere"])
    heard = combine(decision, vosk_heard, matcher)
    assert (heard.intent.name if heard.intent else None, heard.engine) == (intent, engine)
    assert heard.intent is None or isinstance(heard.intent, Intent)
