"""``kiosk idcard read``: a technician's check that the ID-card reader works."""

from __future__ import annotations

import argparse
import json

from kiosk.errors import InvalidInput, KioskError


def register(commands) -> None:
    idcard = commands.add_parser("idcard", help="the ID-card reader")
    idcard.add_argument("action", choices=["read"])
    idcard.add_argument("--port", required=True, help="the reader's serial device, e.g. /dev/ttyUSB0")
    idcard.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a card")
    idcard.add_argument("--reveal", action="store_true", help="print the ID number unmasked")
    idcard.add_argument("--json", action="store_true")
    idcard.set_defaults(handler=read_card)


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
        "birth": card.birth,
        "address": card.address if args.reveal else card.address[:6] + "…",
        "id_number": card.id_number if args.reveal else mask(card.id_number),
        "authority": card.authority,
        "valid_from": card.valid_from,
        "valid_to": card.valid_to,
        "photo_bytes": len(card.photo),
    }
    print(json.dumps(fields, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in fields.items()))
    return 0
