"""The composition root: from the ``Config`` to a running kiosk, every part made and wired here, once.

``build_shell`` makes the window, the screens, the flows and the use-cases they call, from whatever
it is given (tests and screenshots give their own parts, or none). ``start_kiosk`` is the kiosk as it
runs: the store backend, the relay runner, the devices, the voice and the idle guard. The home screen
is painted before anything slow starts: the store opens, the relay and the speech engine start and
the voice model loads only after the first paint.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QLoggingCategory, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk import systemd
from kiosk.app.backend import Backend
from kiosk.app.navigation import Navigator
from kiosk.app.session import Session
from kiosk.app.speech import SilentSpeaker
from kiosk.config import Config
from kiosk.paths import assets_dir
from kiosk.services.reference import reference_files
from kiosk.ui.checkin_flow import CheckinFlow
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.guide_flow import GuideFlow
from kiosk.ui.keyboard import OnScreenKeyboard, prefer_on_screen_keyboard
from kiosk.ui.rating_flow import RatingFlow
from kiosk.ui.screens.checkin import CHOOSE as CHECKIN
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.service_intro import ServiceIntroScreen
from kiosk.ui.service_flow import ServiceFlow
from kiosk.ui.staff_flow import StaffFlow
from kiosk.ui.text_entry import Typing
from kiosk.ui.theme import Theme, screen_dpi
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QPixmap

    from kiosk.app.devices import Devices
    from kiosk.app.speech import Speaker
    from kiosk.app.status import KioskStatus
    from kiosk.config import VoiceConfig
    from kiosk.services.catalogue import Catalogue
    from kiosk.ui.speaker import QtSpeaker
    from kiosk.ui.voice_flow import VoiceFlow
    from kiosk.voice.lines import Line
    from kiosk.voice.listener import Listener
    from kiosk.voice.microphone import AudioSource


class StatusSource(Protocol):
    def status(self) -> KioskStatus: ...


@dataclass
class Shell:
    app: QApplication
    window: KioskWindow
    navigator: Navigator
    catalogue: Catalogue
    theme: Theme
    session: Session
    checkin: CheckinFlow
    services: ServiceFlow
    staff: StaffFlow
    rating: RatingFlow
    make_voice: Callable[[], VoiceFlow]
    guides: GuideFlow | None = None
    _voice: VoiceFlow | None = field(default=None, init=False, repr=False)

    @property
    def voice(self) -> VoiceFlow:
        """方言语音's screens and flows, made the first time they are wanted: never before the first paint."""
        if self._voice is None:
            self._voice = self.make_voice()
        return self._voice

    def screen_ids(self) -> list[str]:
        return list(self.window.screens)

    def shutdown(self) -> None:
        """Stop the flows' devices and let their workers finish (before the store they save through closes)."""
        voice = [self._voice] if self._voice is not None else []
        for flow in (*voice, self.staff, self.rating, self.services, self.checkin):
            flow.shutdown()


# Qt keeps its own messages (stderr, which systemd sends to the journal): a Python message handler needs
# the interpreter lock, and Qt warns from inside dlopen while loading plugins, so a thread importing an
# extension module at that moment deadlocks the kiosk at start. Chatter about optional hardware video
# decoding the kiosk never uses is switched off in Qt itself.
QUIET_QT_CATEGORIES = "\n".join(
    (
        "qt.multimedia.symbolsresolver=false",
        "qt.multimedia.ffmpeg.info=false",
        # Qt Virtual Keyboard's own QML, compiled on Qt Quick's loader thread as the keyboard is made:
        # a warning from there waits for a Python message handler (the tests') that waits for it.
        "qt.qml.propertyCache.append=false",
    )
)


def application(argv: list[str] | None = None, offscreen: bool = False) -> QApplication:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    quiet_qt()
    prefer_on_screen_keyboard()
    app = QApplication(argv or sys.argv[:1])
    # The input method's first news (a queued call and a property change on its context, of a class PySide
    # has no binding for) is delivered now, before any window-wide event filter in Python: wrapped for one,
    # that object makes PySide resolve every Qt class it binds (~45 ms of the start-up, bench/startup.py).
    app.processEvents()
    return app


def quiet_qt() -> None:
    QLoggingCategory.setFilterRules(QUIET_QT_CATEGORIES)


def build_shell(
    app: QApplication,
    config: Config | None = None,
    *,
    dpi: float | None = None,
    speaker: Speaker | None = None,
    catalogue: Catalogue | None = None,
    devices: Devices | None = None,
    backend: Backend | None = None,
    status: StatusSource | None = None,
    microphone: Callable[[], AudioSource] | None = None,
) -> Shell:
    """The kiosk's screens and flows over ``backend`` (none: nothing can be saved, as in screenshots)."""
    from kiosk.app.answers import WaitingAnswers
    from kiosk.app.calls import VolunteerCalls
    from kiosk.app.certify import Attest
    from kiosk.app.checkin import CheckIn
    from kiosk.app.fix import FixAndResend
    from kiosk.app.rate import Rate
    from kiosk.app.seller import seller_field
    from kiosk.app.staff import StaffDesk
    from kiosk.app.submit import SubmitRequest
    from kiosk.paths import data_dir
    from kiosk.sync.status import Network
    from kiosk.ui.lines import screen_lines

    config = config or Config()
    answers = WaitingAnswers(backend) if backend is not None else None  # none to look for without a store
    backend = backend or Backend.without_store()
    family = load_bundled_fonts(assets_dir() / "fonts")
    theme = Theme(screen_dpi(app.primaryScreen(), dpi), family)
    app.setFont(theme.body_font())
    references = reference_files()
    catalogue = catalogue or references.catalogue()
    navigator = Navigator()
    typing = Typing(OnScreenKeyboard(theme), config.form)
    window = KioskWindow(theme, navigator, speaker or SilentSpeaker(), typing)
    session = Session()
    window.add_screen(HomeScreen(theme, config.station_name, catalogue, navigator.open_service, window.call_volunteer))
    intros = {}
    guides = None
    for service in catalogue.services:
        if service.kind == "guide":
            guides = GuideFlow(window, navigator, service, references.guides(), references.guide_changes())
            continue
        intro = ServiceIntroScreen(theme, service)
        intro.checkin_requested.connect(lambda: navigator.open(CHECKIN))
        session.subscribe(intro.show_person)
        window.add_screen(intro)
        intros[service.id] = intro

    submit = SubmitRequest(backend)
    desk = StaffDesk(backend, config, data_dir(), screen_lines)
    card_intros = {  # the first screens where a card on the reader checks her in for that service
        intro.screen_id: service_id
        for service_id, intro in intros.items()
        if intro.service.needs_checkin or seller_field(intro.service) is not None
    }
    checkin = CheckinFlow(
        window,
        navigator,
        session,
        CheckIn(config.face, _enrolled(backend, devices)),
        devices,
        card_intros,
        Attest(desk, backend),
    )
    online = (lambda: status.status().network == Network.ONLINE) if status is not None else (lambda: False)
    services = ServiceFlow(
        window,
        navigator,
        session,
        catalogue,
        intros,
        submit,
        answers,
        devices,
        online,
        answer_wait_s=config.sync.answer_wait_s,
    )
    services.answers_waiting.connect(checkin.welcome.show_answer_count)
    session.subscribe(services.form.show_person)
    services.presence_wanted.connect(lambda service: checkin.prove_presence(lambda: services.begin(service)))
    services.checkin_wanted.connect(lambda: navigator.open(CHECKIN))
    checkin.service_wanted.connect(lambda service_id: services.begin(catalogue.service(service_id)))
    checkin.welcome.answers_wanted.connect(services.show_waiting_answers)
    rate = Rate(backend)
    rating = RatingFlow(window, navigator, rate)
    services.finished.connect(rating.offer)
    labels = {service.id: service.label for service in catalogue.services}
    listing = next((s for s in catalogue.services if s.kind == "listing"), None)
    staff = StaffFlow(
        window,
        navigator,
        session,
        desk,
        FixAndResend(backend, submit, catalogue),
        VolunteerCalls(backend),
        labels,
        lambda: listing and services.begin(listing),
        services.open_form,
    )
    checkin.attested.connect(staff.adopt)
    # Helper mode's workers (the self-check, 录音) count the screens' lines: made here, on this thread, first.
    navigator.subscribe(lambda screen_id: screen_id.startswith("staff") and screen_lines())
    if status is not None:
        timer = QTimer(window)  # a snapshot the relay keeps: no disk or network on this thread
        timer.timeout.connect(lambda: window.status_strip.set_status(status.status()))
        timer.start(STATUS_EVERY_MS)

    def make_voice() -> VoiceFlow:
        def operator() -> str:
            return staff.operator.name if staff.operator is not None else ""

        return _voice_flows(window, navigator, backend, config, catalogue, microphone or _no_microphone, operator)

    flows = (checkin, services, staff, rating, make_voice, guides)
    shell = Shell(app, window, navigator, catalogue, theme, session, *flows)
    staff.menu.voice_wanted.connect(lambda: shell.voice.open())
    return shell


def _voice_flows(
    window: KioskWindow,
    navigator: Navigator,
    backend: Backend,
    config: Config,
    catalogue: Catalogue,
    microphone: Callable[[], AudioSource],
    operator: Callable[[], str],
) -> VoiceFlow:
    """方言语音 in helper mode: recording the voice pack and teaching the commands."""
    from kiosk.app.recording import RecordingDesk
    from kiosk.app.teach import TeachingDesk
    from kiosk.paths import data_dir
    from kiosk.ui.lines import screen_lines
    from kiosk.ui.recording_flow import RecordingFlow
    from kiosk.ui.teaching_flow import TeachingFlow
    from kiosk.ui.voice_flow import VoiceFlow

    def registry():  # on the recording worker: the reference files are read from disk
        from kiosk.voice.planner import station_registry

        return station_registry(screen_lines(), config.station_name)

    labels = {service.id: service.label for service in catalogue.services}
    recording_desk = RecordingDesk(backend, config.voice.pack_dir(), registry, config.voice.dialect)
    voice = config.voice
    teaching_desk = TeachingDesk(
        backend,
        list(labels),
        voice.template_threshold,
        voice.template_margin,
        lambda: flow.taught.emit(),  # made just below
    )
    recording = RecordingFlow(window, navigator, recording_desk, microphone, labels, data_dir() / "speech")
    teaching = TeachingFlow(window, navigator, teaching_desk, microphone, labels, operator)
    flow = VoiceFlow(window, navigator, recording, teaching, recording_desk, teaching_desk)
    return flow


def _no_microphone() -> AudioSource:
    from kiosk.voice.microphone import MicrophoneUnavailable

    raise MicrophoneUnavailable("这台终端没有接麦克风")


def _enrolled(backend: Backend, devices: Devices | None) -> Callable[[], list]:
    """The faces a face check-in looks among: the station's, and in demo mode the demo villager's."""
    demo = devices.demo_faces if devices is not None else None
    return backend.enrolled_faces if demo is None else lambda: [*backend.enrolled_faces(), *demo()]


STATUS_EVERY_MS = 2000
SPEECH_DELAY_MS = 300
KEYBOARD_DELAY_MS = 1500  # after the voice has started: the villager is still on home, reading


def start_kiosk(app: QApplication, config: Config, dpi: float | None, quit_when_ready: bool) -> Shell:
    """The kiosk as it runs: the window shown, everything slow started once the home screen is painted."""
    from kiosk.app.devices import DeviceReport, devices_from
    from kiosk.app.idle import IdleClock
    from kiosk.app.relay_runner import RelayRunner
    from kiosk.paths import data_dir
    from kiosk.ui.idle_guard import IdleGuard
    from kiosk.ui.lines import screen_lines
    from kiosk.ui.speaker import QtSpeaker
    from kiosk.voice.microphone import SharedMicrophone, microphone_from
    from kiosk.voice.tts import SpeechSettings, Synthesizer

    folder = data_dir()

    def open_store():  # on the backend's and the relay's own threads: SQLite's wrapper loads slowly
        from kiosk.store.store import open_store

        return open_store(folder)

    report = DeviceReport()
    relay = RelayRunner(config, open_store, report, reference_files())
    backend = Backend(open_store, relay.wake)
    devices = devices_from(config.devices)
    synthesizer = Synthesizer(
        folder / "speech",
        SpeechSettings(config.voice.voice, config.voice.rate),
        open_planner=lambda: _speech_planner(config, screen_lines()),  # made after the first paint
    )
    speaker = QtSpeaker(synthesizer)
    microphone = SharedMicrophone(microphone_from(config.voice.microphone))  # the listener and the 录音 screen
    parts = {"speaker": speaker, "devices": devices, "backend": backend, "status": relay, "microphone": microphone.open}
    shell = build_shell(app, config, dpi=dpi, **parts)
    shell.checkin.device_state.connect(report.report)
    shell.session.subscribe(lambda person: person is None and speaker.reset_volume())
    IdleGuard(shell.window, shell.navigator, IdleClock(config.session.idle_timeout_s, config.session.idle_warning_s))
    listeners = []  # spoken commands, from just after the first paint

    def quit() -> None:  # the order matters: nothing may still be saving when the store closes
        for listener in listeners:
            listener.stop()
        synthesizer.close()
        relay.stop()
        shell.shutdown()
        devices.close()
        backend.close()

    app.aboutToQuit.connect(quit)
    report_to_systemd(shell)

    def after_paint() -> None:  # the home screen never waits for disk, network, speech or the voice model
        from kiosk.memory import limit_arenas

        limit_arenas()  # before the kiosk's own threads start allocating
        screen_lines()  # here, not on the speech thread: it imports every screen's module
        backend.start()
        relay.start()
        listeners.append(_voice_commands(shell, config, speaker, microphone.open))
        shell.voice.recording.pack_changed.connect(synthesizer.reload_pack)  # the voice screens, made now
        QTimer.singleShot(SPEECH_DELAY_MS, speaker.report_audio)  # the voice follows a moment after the picture
        QTimer.singleShot(KEYBOARD_DELAY_MS, shell.window.typing.keyboard.preload)  # ready by the first text step
        for start in (synthesizer.start, listeners[0].start):
            QTimer.singleShot(SPEECH_DELAY_MS, start)

    if quit_when_ready:  # a smoke test or the start-up benchmark: the painted home is all it waits for
        quit_when_painted(shell)
    else:
        after_first_paint(shell, after_paint)
    return shell


def _speech_planner(config: Config, screen_lines: tuple[Line, ...]):
    """On the speech thread, after the first paint: the catalogue's and the screens' lines, the station's voice pack."""
    from kiosk.voice.planner import open_planner

    return open_planner(config.voice.pack_dir(), screen_lines, config.station_name)


def _taught_commands(voice: VoiceConfig):
    """On the listener thread: the commands the station taught, decrypted from the store."""
    from kiosk.paths import data_dir
    from kiosk.voice.teaching import open_taught

    return open_taught(data_dir(), voice.template_threshold, voice.template_margin)


def _voice_commands(
    shell: Shell, config: Config, speaker: QtSpeaker, microphone: Callable[[], AudioSource]
) -> Listener:
    """Spoken commands: the listener on its own thread, its news acted on by the window's own buttons' actions."""
    from kiosk.ui.voice_control import VoiceControl
    from kiosk.voice.listener import Listener
    from kiosk.voice.phrases import load_phrases
    from kiosk.voice.recognizer import CommandRecognizer

    listener = Listener(
        lambda: CommandRecognizer(config.voice.model_dir()),
        microphone,
        load_phrases(shell.catalogue),
        lambda intent: voice.heard.emit(intent),
        lambda state: voice.state.emit(state),
        open_templates=lambda: _taught_commands(config.voice),
        on_hearable=lambda intents: voice.hearable.emit(intents),
    )
    voice = VoiceControl(shell.window, shell.navigator, speaker, listener, shell.services.offer)
    shell.voice.taught.connect(listener.reload_templates)
    return listener


def render(shell: Shell, screen_id: str, size: QSize) -> QPixmap:
    """Show ``screen_id`` at ``size`` and return the grabbed pixmap."""
    shell.navigator.open(screen_id)
    shell.window.resize(size)
    shell.window.show()
    # Buttons pick their presentation as they are laid out, which can ask for one more layout pass.
    for _ in range(3):
        shell.app.processEvents()
    return shell.window.grab()


class _FirstPaint(QObject):
    def __init__(self, parent: QObject, then: Callable[[], None]) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def after_first_paint(shell: Shell, then: Callable[[], None]) -> None:
    """Run ``then`` on the event loop once the home screen has been painted."""
    home = shell.window.current_screen()
    home.installEventFilter(_FirstPaint(home, then))


def quit_when_painted(shell: Shell) -> None:
    """Exit the event loop once the home screen has been painted (start-up benchmarks, smoke tests)."""
    after_first_paint(shell, QApplication.quit)


def report_to_systemd(shell: Shell) -> None:
    """READY=1 once the villager can see the kiosk; WATCHDOG=1 from this event loop while it turns."""
    interval = systemd.watchdog_interval_ms()

    def ready() -> None:
        systemd.notify("READY=1")
        if interval is not None:
            timer = QTimer(shell.window)
            timer.timeout.connect(lambda: systemd.notify("WATCHDOG=1"))
            timer.start(interval)

    after_first_paint(shell, ready)
