"""A guide's video in the kiosk's frame: first frame, play, pause, replay, subtitles, and it stops on leaving.

The video is a tiny MP4 made here (red, then green, then blue), given to the kiosk as the
province's copy of the guides would be; Qt Multimedia decodes it on the offscreen platform.
"""

import json

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor

from kiosk.app.idle import IdleClock
from kiosk.ui.idle_guard import IdleGuard
from kiosk.ui.screens.guide_video import GUIDE_VIDEO, PAUSE, PLAY
from kiosk.ui.shell import build_shell, render
from kiosk.ui.speaker import DEFAULT_VOLUME, QtSpeaker
from kiosk.ui.voice_control import VoiceControl
from kiosk.voice.tts import Synthesizer
from tests.helpers.audit import audit
from tests.helpers.speech import RecordingSpeaker
from tests.helpers.video import make_mp4

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 30), (30, 30, 220)
CUES = [(0.0, 0.6, "先看红色。"), (0.6, 1.2, "再看绿色。"), (1.2, 1.8, "最后是蓝色。")]


@pytest.fixture
def video_guide(kiosk_data_dir):
    """The province's copy of the guides: one guide with a two-second video."""
    folder = kiosk_data_dir / "reference"
    (folder / "guides" / "colours").mkdir(parents=True)
    make_mp4(folder / "guides" / "colours" / "video.mp4", [RED, GREEN, BLUE], seconds_each=0.6)
    item = {
        "id": "colours",
        "label": "看颜色",
        "steps": [{"picture": "colours/1.png", "text": t} for _, _, t in CUES],
        "video": {"file": "colours/video.mp4", "subtitles": [{"start": a, "end": b, "text": t} for a, b, t in CUES]},
    }
    (folder / "guides.json").write_text(json.dumps({"version": 2, "items": [item]}), encoding="utf-8")


@pytest.fixture
def watching(qapp, qtbot, video_guide):
    speaker = RecordingSpeaker()
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    render(shell, "home", QSize(1920, 1080))
    qtbot.mouseClick(shell.window.screens["home"].service_buttons["guides"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.guides.topics.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.guides.steps.video_button, Qt.MouseButton.LeftButton)
    yield shell, shell.guides.video, speaker
    shell.window.close()  # its video is stopped after the test (tests/conftest.py)


def _colour_on_screen(shell, screen) -> QColor:
    surface = screen.surface
    centre = surface.mapTo(shell.window, QPoint(surface.width() // 2, surface.height() // 2))
    return shell.window.grab().toImage().pixelColor(centre)


def _near(colour: QColor, rgb) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def test_the_video_opens_in_the_frame_on_its_first_frame_paused_with_subtitles(watching, qtbot):
    shell, screen, speaker = watching
    assert shell.navigator.current == GUIDE_VIDEO and shell.window.title.text() == "看颜色"
    qtbot.waitUntil(lambda: screen.surface.has_frame, timeout=5000)
    assert _near(_colour_on_screen(shell, screen), RED)
    assert not screen.player.playing and screen.play_button.text() == PLAY
    assert screen.subtitle.isVisible() and screen.subtitle.text() == "先看红色。"
    assert speaker.said[-1].startswith("看颜色。点「播放」")
    # inside the kiosk's frame, the bar of buttons still there: never full screen without a way back
    assert not shell.window.isFullScreen() and shell.window.back_button.isVisible()
    where = screen.surface.rect().translated(screen.surface.mapTo(shell.window, QPoint()))
    assert shell.window.rect().contains(where)
    assert audit(shell.window, shell.theme) == []


def test_play_pause_replay_and_the_subtitles_follow(watching, qtbot):
    shell, screen, speaker = watching
    qtbot.waitUntil(lambda: screen.surface.has_frame, timeout=5000)
    assert screen.player.audio.volume() == pytest.approx(DEFAULT_VOLUME)
    stops = speaker.stops
    with qtbot.waitSignal(shell.window.media_playing, check_params_cb=lambda playing: playing, timeout=5000):
        qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    assert speaker.stops > stops  # the kiosk stops talking when the video speaks
    assert screen.play_button.text() == PAUSE
    qtbot.waitUntil(lambda: screen.subtitle.text() == "再看绿色。", timeout=5000)
    qtbot.waitUntil(lambda: _near(_colour_on_screen(shell, screen), GREEN), timeout=5000)
    with qtbot.waitSignal(shell.window.media_playing, check_params_cb=lambda playing: not playing, timeout=5000):
        qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    paused_at = screen.player.player.position()
    qtbot.wait(300)
    assert screen.player.player.position() == paused_at and screen.play_button.text() == PLAY
    qtbot.mouseClick(screen.replay_button, Qt.MouseButton.LeftButton)
    assert screen.player.playing
    qtbot.waitUntil(lambda: _near(_colour_on_screen(shell, screen), RED), timeout=5000)
    assert screen.subtitle.text() == "先看红色。"
    with qtbot.waitSignal(screen.player.ended, timeout=8000):
        pass
    assert screen.subtitle.text() == "最后是蓝色。" and screen.play_button.text() == PLAY
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)  # 播放 at the end starts again
    qtbot.waitUntil(lambda: screen.player.playing and screen.subtitle.text() == "先看红色。", timeout=5000)


def test_leaving_stops_the_video_and_lets_go_of_it(watching, qtbot):
    shell, screen, _ = watching
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    with qtbot.waitSignal(shell.window.media_playing, check_params_cb=lambda playing: not playing, timeout=5000):
        qtbot.mouseClick(shell.window.back_button, Qt.MouseButton.LeftButton)
    assert shell.navigator.current == "guide"
    assert screen.player.player.source().isEmpty() and not screen.player.playing and not screen.surface.has_frame
    qtbot.mouseClick(shell.guides.steps.video_button, Qt.MouseButton.LeftButton)  # and it comes back
    qtbot.waitUntil(lambda: screen.surface.has_frame, timeout=5000)
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    qtbot.mouseClick(shell.window.home_button, Qt.MouseButton.LeftButton)
    assert shell.navigator.at_home and screen.player.player.source().isEmpty()


def test_repeat_and_the_volunteer_button_pause_the_video_before_speaking(watching, qtbot):
    shell, screen, speaker = watching
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    qtbot.mouseClick(shell.window.repeat_button, Qt.MouseButton.LeftButton)
    assert not screen.player.playing
    assert speaker.said[-1] == "看颜色。第1步，先看红色。第2步，再看绿色。第3步，最后是蓝色。"
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    qtbot.mouseClick(shell.window.help_button, Qt.MouseButton.LeftButton)
    assert not screen.player.playing and shell.window.notice.isVisible()


def test_the_session_does_not_time_out_while_the_video_plays(watching, qtbot):
    shell, screen, _ = watching
    now = [0.0]
    guard = IdleGuard(shell.window, shell.navigator, IdleClock(120, 30, clock=lambda: now[0]), tick_ms=60_000)
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    now[0] += 500
    guard.tick()
    assert shell.navigator.current == GUIDE_VIDEO and not guard.warning.isVisible()
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)  # paused: she may have gone
    qtbot.waitUntil(lambda: not screen.player.playing, timeout=5000)
    now[0] += 95
    guard.tick()
    assert guard.warning.isVisible()
    now[0] += 30
    guard.tick()
    assert shell.navigator.at_home and screen.player.player.source().isEmpty()


def test_the_video_plays_at_the_kiosks_own_volume_and_is_not_heard_as_commands(qapp, qtbot, video_guide, tmp_path):
    class Listener:
        def __init__(self):
            self.contexts = []

        def listen(self, context):
            self.contexts.append(context)

    synthesizer = Synthesizer(tmp_path / "speech")
    speaker = QtSpeaker(synthesizer)
    speaker.player.audioOutput().setVolume(0.4)  # the station turned it down
    shell = build_shell(qapp, dpi=102, speaker=speaker)
    listener = Listener()
    VoiceControl(shell.window, shell.navigator, speaker, listener)
    render(shell, "home", QSize(1920, 1080))
    shell.guides.open_guide(shell.guides.topics.guides[0])
    shell.guides.open_video(shell.guides.steps.guide)
    screen = shell.guides.video
    assert screen.player.audio.volume() == pytest.approx(0.4)
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.player.playing, timeout=5000)
    assert listener.contexts[-1] is None
    speaker.finished.emit()  # speech that ends while the video plays does not start listening again
    assert listener.contexts[-1] is None
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.player.playing, timeout=5000)
    assert listener.contexts[-1] == "anywhere"
    shell.window.close()


def test_the_video_machinery_is_not_loaded_at_start_up(tmp_path):
    """Start-up must not pay for videos: the video screen and its module come with the first video wanted."""
    import subprocess
    import sys

    probe = (
        "import sys; from PySide6.QtCore import QSize;"
        "from kiosk.ui.shell import application, build_shell, render;"
        "shell = build_shell(application(offscreen=True), dpi=102); render(shell, 'home', QSize(1280, 800));"
        "print(shell.guides.video is None, 'kiosk.ui.video' in sys.modules,"
        " 'PySide6.QtMultimediaWidgets' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "False", "False"]
