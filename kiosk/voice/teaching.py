"""Teaching the kiosk a command in the station's own speech: a speaker says it a few times, each
recording becomes a template (its speech features), kept encrypted with the speaker's consent.

The same functions serve ``kiosk voice teach`` and the helper-mode teaching screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kiosk.errors import InvalidInput
from kiosk.voice.features import DIMENSIONS, NoSpeech, speech_features
from kiosk.voice.templates import DEFAULT_MARGIN, DEFAULT_THRESHOLD, Template, TemplateSet, distance

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from kiosk.store.voice_templates import VoiceTemplates

COMMANDS = ("back", "home", "repeat", "volunteer", "yes", "no")
MIN_RECORDINGS = 3
DEFAULT_SPEAKER = "本站"


@dataclass(frozen=True)
class Taught:
    intent: str
    speaker: str
    recordings: int
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "intent": self.intent,
            "speaker": self.speaker,
            "recordings": self.recordings,
            "warnings": self.warnings,
        }


def teachable(service_ids: Iterable[str]) -> list[str]:
    """What can be taught: the catalogue's services and the commands every screen has."""
    return [*service_ids, *COMMANDS]


def teach(
    store: VoiceTemplates,
    intent: str,
    recordings: list[bytes],
    speaker: str,
    consent: bool,
    known: Iterable[str],
    existing: TemplateSet | None = None,
    volunteer: str = "",
) -> Taught:
    """Keep ``recordings`` (16 kHz mono 16-bit PCM, one saying each) as templates of ``intent``.

    ``volunteer`` is who took the consent (kept on the audit chain). Refused, with nothing kept,
    without consent, for an unknown command, for fewer than three recordings, or if any recording has
    no speech in it. A recording that sounds more like another taught command than like its own
    siblings is kept, with a warning to say it differently.
    """
    known = list(known)
    if not consent:
        raise InvalidInput("没有说话人的同意不能录：先讲清楚录音只用来听懂命令、可以随时删除，同意后加 --consent")
    if intent not in known:
        raise InvalidInput(f"没有这个命令：{intent}（可以教：{'、'.join(known)}）")
    if len(recordings) < MIN_RECORDINGS:
        raise InvalidInput(f"每个命令至少要说 {MIN_RECORDINGS} 遍（现在 {len(recordings)} 遍）")
    speaker = speaker.strip() or DEFAULT_SPEAKER
    features = []
    for number, pcm in enumerate(recordings, start=1):
        try:
            features.append(speech_features(pcm))
        except NoSpeech as error:
            raise InvalidInput(f"第 {number} 遍：{error.message}") from None
    warnings = _confusions(intent, features, existing)
    blobs = [f.astype("<f4").tobytes() for f in features]
    store.teach(intent, speaker, blobs, DIMENSIONS, consent, volunteer)
    return Taught(intent, speaker, len(recordings), warnings)


def load_templates(
    store: VoiceTemplates, threshold: float = DEFAULT_THRESHOLD, margin: float = DEFAULT_MARGIN
) -> TemplateSet:
    templates = []
    for taught in store.all():
        frames = np.frombuffer(taught.features, dtype="<f4").reshape(-1, taught.dimensions)
        templates.append(Template(taught.intent, taught.speaker, frames.astype(np.float64)))
    return TemplateSet(templates, threshold, margin)


def _confusions(intent: str, features: list[np.ndarray], existing: TemplateSet | None) -> list[str]:
    others = [t for t in (existing.templates if existing else []) if t.intent != intent]
    margin = existing.margin if existing else DEFAULT_MARGIN
    warnings = []
    for number, own in enumerate(features, start=1):
        siblings = [distance(own, other) for other in features if other is not own]
        if not others or not siblings:
            continue
        nearest = min(others, key=lambda t: distance(own, t.features))
        if distance(own, nearest.features) < min(siblings) * (1 + margin):
            warnings.append(f"第 {number} 遍听起来像「{nearest.intent}」：识别时可能都不认，换个说法或说得更清楚些")
    return warnings


def open_taught(data_dir: Path, threshold: float = DEFAULT_THRESHOLD, margin: float = DEFAULT_MARGIN) -> TemplateSet:
    """The taught commands as they are in the store now (for the listener, on its own thread)."""
    from kiosk.store.store import open_store

    store = open_store(data_dir)
    try:
        return load_templates(store.voices, threshold, margin)
    finally:
        store.close()
