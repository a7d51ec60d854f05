"""A village kiosk's backlog after a day offline: text requests and photos of the kiosk's real size."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from tests.helpers.evidence import live_evidence
from tests.helpers.photos import camera_photo

KIB = 1024
# `kiosk submit` of a villager's 社保 question, as a technician would type it
PENSION_QUERY = (
    "submit",
    "--service",
    "social_security",
    "--payload-json",
    '{"topic": "pension"}',
    "--subject",
    "11010519491231002X",
)
TEXTS = (
    ("subsidy", {"subsidy_type": "farmland_protection", "area_mu": 12.5, "phone": "13800138000"}),
    ("social_security", {"topic": "pension"}),
    ("guides", {}),
)
LISTING = {
    "product": "fruit",
    "quantity": 30,
    "unit": "jin",
    "price": 3.5,
    "pickup": "村委会门口",
    "phone": "13912345678",
}


@dataclass
class Backlog:
    ids: set[str] = field(default_factory=set)
    photos: dict[str, bytes] = field(default_factory=dict)  # by SHA-256
    evidence: set[str] = field(default_factory=set)  # digests of certification evidence
    text_bytes: int = 0  # the requests as the province needs them (JSON), without HTTP around them

    @property
    def useful_bytes(self) -> int:
        return self.text_bytes + sum(len(photo) for photo in self.photos.values())


def queue_backlog(outbox, texts: int, produce_kib: list[int], evidence_kib: list[int], seed: int = 1) -> Backlog:
    """``texts`` requests in all: a certification per evidence photo, a listing per produce photo, the rest text."""
    backlog = Backlog()
    photos = [("pension_cert", "face", camera_photo(k, seed + n, side=480)) for n, k in enumerate(evidence_kib)]
    photos += [("farm_listing", "photo", camera_photo(k, seed + 100 + n)) for n, k in enumerate(produce_kib)]
    for n in range(texts):
        if n < len(photos):
            service, name, photo = photos[n]
            payload = {"liveness": live_evidence()} if service == "pension_cert" else dict(LISTING)
            queued = outbox.enqueue(service, payload, attachments={name: photo})
            digest = hashlib.sha256(photo).hexdigest()
            backlog.photos[digest] = photo
            if service == "pension_cert":
                backlog.evidence.add(digest)
            payload = payload | {"attachments": {name: digest}}
        else:
            service, payload = TEXTS[n % len(TEXTS)]
            queued = outbox.enqueue(service, payload)
        backlog.ids.add(queued.id)
        item = {"id": queued.id, "service": service, "payload": payload}
        backlog.text_bytes += len(json.dumps(item, ensure_ascii=False).encode())
    return backlog


def delivered(province, backlog: Backlog) -> bool:
    """Whether the province holds every request and every photo, complete."""
    conn = province.province.conn
    with province.province.lock:
        held = {row[0] for row in conn.execute("SELECT id FROM submissions")}
        complete = {row[0] for row in conn.execute("SELECT hash FROM attachments WHERE complete = 1")}
    return backlog.ids <= held and set(backlog.photos) <= complete
