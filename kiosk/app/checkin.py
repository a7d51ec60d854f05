"""Check in: who the villager is, from the ID card on the reader or from their face at the camera.

The face check-in is built here from the configuration, in one place: liveness (a random run of
actions and the screen flash, ``kiosk/identity/face/session.py``) gets its thresholds from
``FaceConfig`` and is fed frames; whatever analysis runs behind ``FaceCheckin`` can change without
the screens knowing. Everything heavy (numpy, the face models) loads on the camera's thread when
a face check-in first starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.app.session import CheckinMethod, Person

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from kiosk.app.face_checkin import FaceCheckin
    from kiosk.app.face_progress import Progress
    from kiosk.config import FaceConfig
    from kiosk.identity.face.actions import Action
    from kiosk.identity.face.analyzer import Face, FaceAnalyzer
    from kiosk.identity.face.frame_colour import Rgb
    from kiosk.identity.sam import CardData
    from kiosk.store.face_templates import Enrolled


class CheckIn:
    def __init__(
        self, face: FaceConfig, enrolled: Callable[[], list[Enrolled]], analyzer: FaceAnalyzer | None = None
    ) -> None:
        """``enrolled``: the villagers enrolled at this station (on the camera thread; empty until the store
        is open). ``analyzer``: one already loaded; else it is made, and its models loaded, on first use."""
        self._face = face
        self._enrolled = enrolled
        self._analyzer = analyzer

    def by_card(self, card: CardData) -> Person:
        return Person(card.name, card.id_number, CheckinMethod.CARD)

    def by_face(self, on_progress: Callable[[Progress], None], proving: Person | None = None) -> FaceSession:
        """A face check-in, fed frame by frame on the camera's thread. ``proving``: the person already checked
        in (by card) whose live presence a certification needs; else the face is matched among the enrolled."""
        return FaceSession(self, on_progress, proving)

    def _analyzer_loaded(self) -> FaceAnalyzer:
        from kiosk.identity.face.analyzer import FaceAnalyzer

        if self._analyzer is None:
            self._analyzer = FaceAnalyzer()
        self._analyzer.load()
        return self._analyzer

    def _face_checkin(self, analyzer: FaceAnalyzer, on_progress, proving: Person | None) -> FaceCheckin:
        from kiosk.app.face_checkin import FaceCheckin
        from kiosk.store.face_templates import Enrolled

        known = Enrolled("checked-in", proving.name, proving.id_number, b"") if proving is not None else None
        return FaceCheckin(analyzer, self._enrolled, on_progress, self._face, known=known)

    @staticmethod
    def matched(progress: Progress) -> Person | None:
        """The person a face check-in found, with their live face as evidence; None until it has."""
        from kiosk.app.face_progress import FaceState

        if progress.state != FaceState.MATCHED or progress.enrolled is None:
            return None
        enrolled = progress.enrolled
        return Person(enrolled.name, enrolled.id_number, CheckinMethod.FACE, evidence=progress.evidence)


class FaceSession:
    """One face check-in as the camera loop sees it: ``load`` and ``detect`` (its analysis), then each
    frame; and the scene the camera follows and the screen shows (the action asked, the flash colour).

    Built on the GUI thread without loading anything; the models and the liveness check are made by
    ``load``, which the camera loop calls first on its own thread. ``screen_colour`` is asked from the
    GUI thread as it paints: it only reads the current check's plan.
    """

    def __init__(self, checkin: CheckIn, on_progress: Callable[[Progress], None], proving: Person | None) -> None:
        self._checkin = checkin
        self._on_progress = on_progress
        self._proving = proving
        self._analyzer: FaceAnalyzer | None = None
        self._face: FaceCheckin | None = None

    def load(self) -> None:
        self._analyzer = self._checkin._analyzer_loaded()
        self._face = self._checkin._face_checkin(self._analyzer, self._on_progress, self._proving)

    def detect(self, frame: np.ndarray) -> Face | None:
        return self._analyzer.detect(frame)

    def on_frame(self, frame: np.ndarray, face: Face | None, read_at: float) -> None:
        self._face.on_frame(read_at, frame, face)

    @property
    def proving(self) -> Person | None:
        return self._proving

    def next_challenge(self) -> Action | None:
        return self._face.next_challenge() if self._face is not None else None

    def screen_colour(self, now: float) -> Rgb | None:
        face = self._face
        return face.screen_colour(now) if face is not None else None
