"""One exception family, so every layer reports user errors the same way.

The CLI prints ``str(error)`` as one line; the web renders ``status`` and ``message``.
Messages never echo large user input back.
"""


class BitextError(Exception):
    """An expected failure the user can fix: bad input, missing object, conflict."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(BitextError):
    """The input (file, metadata, query) is not acceptable."""


class NotFound(BitextError):
    status = 404


class Conflict(BitextError):
    status = 409
