"""``kiosk-idcard-sim``: the simulated ID-card reader as a process, for demos and technicians.

    kiosk-idcard-sim [--card card.json] [--absent] [--link /tmp/idcard]

Prints the device path. Commands on standard input, one per line: ``place``, ``remove``,
``unplug``, ``plug``, ``quit``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from kiosk.identity import sam
from kiosk.identity.card_simulator import CardReaderSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-idcard-sim", description="simulated ID-card reader on a pty")
    parser.add_argument("--card", type=Path, help="a JSON file with the card's fields (default: a demo card)")
    parser.add_argument("--absent", action="store_true", help="start with no card on the reader")
    parser.add_argument("--link", type=Path, help="keep this symlink pointing at the device")
    args = parser.parse_args(argv)
    card = None
    if args.card:
        try:
            card = json.loads(args.card.read_text(encoding="utf-8"))
            sam.text_block(**card)
        except (OSError, ValueError, TypeError) as error:
            print(f"kiosk-idcard-sim: {args.card}: {error}", file=sys.stderr)
            return 2
    simulator = CardReaderSimulator(card, present=not args.absent, link=args.link)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill unplugs it cleanly, as Ctrl-C does
    actions = {"place": simulator.place_card, "remove": simulator.remove_card, "unplug": simulator.unplug}
    try:
        print(simulator.plug(), flush=True)
        for line in sys.stdin:
            word = line.strip()
            if word == "quit":
                return 0
            if word == "plug":
                print(simulator.plug(), flush=True)
            elif word in actions:
                actions[word]()
            elif word:
                print(
                    f"kiosk-idcard-sim: unknown command {word!r} (place, remove, unplug, plug, quit)", file=sys.stderr
                )
        threading.Event().wait()  # no more commands (stdin closed): serve until stopped
    except KeyboardInterrupt:
        pass
    finally:
        simulator.unplug()
    return 0


if __name__ == "__main__":
    sys.exit(main())
