"""Errors that carry a message meant for a person, never a traceback."""


class KioskError(Exception):
    """A failure with a plain one-line message for the technician or volunteer.

    ``exit_code`` follows the CLI convention: 2 for bad input, 1 for anything else.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(KioskError):
    exit_code = 2
