"""``kiosk idcard read``: a technician's check that the ID-card reader works."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, KioskError

if TYPE_CHECKING:
    import argparse


def register(commands) -> None:
    idcard = commands.add_parser("idcard", help="the ID-card reader")
    idcard.add_argument("action", choices=["read"])
    idcard.add_argument("--port", required=True, help="the reader's serial device, e.g. /dev/ttyUSB0")
    idcard.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a card")
    idcard.add_argument("--reveal", action="store_true", help="print name, birth date, address, ID number in full")
    idcard.add_argument("--json", action="store_true")
    idcard.set_defaults(handler=read_card)

    face = commands.add_parser("face", help="enrolled face templates (with the villager's consent)")
    face.add_argument("action", choices=["enroll", "remove"])
    face.add_argument("--id-number", required=True)
    face.add_argument("--name", help="the villager's name, as on the card (enroll)")
    face.add_argument("--image", type=Path, help="a clear, front-facing photo taken at the station (enroll)")
    face.add_argument("--volunteer", help="who explained and took the consent (enroll)")
    face.add_argument("--consent", action="store_true", help="the villager agreed to face check-in (enroll)")
    face.add_argument("--json", action="store_true")
    face.set_defaults(handler=face_templates)


def read_card(args: argparse.Namespace) -> int:
    from kiosk.identity import sam
    from kiosk.identity.card_reader import SerialCardReader, wait_for_card
    from kiosk.identity.idnumber import mask, mask_name

    if args.timeout <= 0:
        raise InvalidInput("--timeout 应大于 0 秒")
    reader = SerialCardReader(args.port)
    try:
        card = wait_for_card(reader, args.timeout)
    except sam.ProtocolError as error:
        raise KioskError(f"读卡器回的数据不对：{error}") from None
    except sam.ReaderStatusError as error:
        raise KioskError(str(error)) from None
    finally:
        reader.close()
    if card is None:
        raise KioskError(f"等了 {args.timeout:g} 秒没有读到身份证：请把卡平放在读卡器上")
    fields = {
        "name": card.name if args.reveal else mask_name(card.name),
        "sex": card.sex,
        "nation": card.nation,
        # With the birth date the masked number has only a few candidates left: it is hidden too.
        "birth": card.birth if args.reveal else "*" * len(card.birth),
        "address": card.address if args.reveal else card.address[:6] + "…",
        "id_number": card.id_number if args.reveal else mask(card.id_number),
        "authority": card.authority,
        "valid_from": card.valid_from,
        "valid_to": card.valid_to,
        "photo_bytes": len(card.photo),
    }
    print(json.dumps(fields, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in fields.items()))
    return 0


def face_templates(args: argparse.Namespace) -> int:
    from kiosk.identity.idnumber import mask, parse
    from kiosk.paths import data_dir
    from kiosk.store.store import open_store

    id_number = parse(args.id_number).value
    if args.action == "enroll":
        missing = [
            flag
            for flag, value in (("--name", args.name), ("--image", args.image), ("--volunteer", args.volunteer))
            if not value
        ]
        if missing:
            raise InvalidInput(f"登记人脸还需要 {'、'.join(missing)}")
        if not args.consent:
            raise InvalidInput("没有 --consent：必须先向村民说明并取得同意，才能登记人脸")
        template = _template_from(args.image)
    store = open_store(data_dir())
    try:
        if args.action == "enroll":
            store.faces.enroll(args.name, id_number, template, volunteer=args.volunteer)
            result = {"enrolled": mask(id_number)}
        else:
            if not store.faces.remove(id_number):
                raise InvalidInput(f"{mask(id_number)} 没有登记过人脸")
            result = {"removed": mask(id_number)}
    finally:
        store.close()
    print(
        json.dumps(result, ensure_ascii=False)
        if args.json
        else f"{next(iter(result.values()))}：{'已登记' if args.action == 'enroll' else '已删除'}"
    )
    return 0


def _template_from(image: Path) -> bytes:
    import cv2

    from kiosk.identity.face.analyzer import FaceAnalyzer

    frame = cv2.imread(str(image))
    if frame is None:
        raise InvalidInput(f"读不出照片：{image}")
    analyzer = FaceAnalyzer()
    face = analyzer.detect(frame)
    if face is None:
        raise InvalidInput(f"照片里找不到正脸：{image}（请正对镜头重拍）")
    return analyzer.embed(frame, face).tobytes()
