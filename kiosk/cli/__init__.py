"""The ``kiosk`` command: the kiosk UI when run bare, sub-commands for headless work.

Every sub-command prints a plain one-line message and exits non-zero on error; nobody sees a
traceback. Heavy modules are imported inside the handlers so that ``kiosk --help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys

from kiosk.cli import (
    guide_commands,
    identity_commands,
    queue_commands,
    technician_commands,
    ui_commands,
    voice_commands,
)
from kiosk.errors import KioskError

COMMAND_MODULES = (ui_commands, queue_commands, identity_commands, voice_commands, technician_commands, guide_commands)


class OneLineParser(argparse.ArgumentParser):
    """Wrong input is one line and exit 2, not a usage block (``-h`` still prints it)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} -h)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="kiosk", description="村级便民服务终端")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["run", *argv]
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KioskError as error:
        print(f"kiosk: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # whoever read the output has gone (| head): nothing to tell anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at exit, when stdout is flushed
        return 141
    except Exception as error:  # the last guard: a technician gets one line, never a traceback
        print(f"kiosk: 内部错误 {type(error).__name__}: {error}", file=sys.stderr)
        return 1
