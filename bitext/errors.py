"""One exception family, so every layer reports user errors the same way.

The CLI prints ``str(error)`` as one line; the web renders ``status`` and ``message``.
Messages never echo large user input back.
"""

from collections.abc import Callable


class BitextError(Exception):
    """An expected failure the user can fix: bad input, missing object, conflict."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(BitextError):
    """The input (file, metadata, query) is not acceptable."""


class ChoiceNeeded(InputError):
    """The file leaves something only its user can say: which format it is, or which
    encoding. ``problem`` names it once; the message ends with how to say it on the
    command line (``--format``, ``--encoding``) and ``telling`` words it for another
    interface, such as the web's import form."""

    def __init__(self, problem: str, option: str, suggested: str | None = None):
        self.problem, self.option, self.suggested = problem, option, suggested
        super().__init__(self.telling(_on_the_command_line))

    def telling(self, choose: Callable[[str, str | None], str]) -> str:
        """The message, ``choose(option, suggested)`` saying how to choose where it is read."""
        return f"{self.problem}; {choose(self.option, self.suggested)}"


def _on_the_command_line(option: str, suggested: str | None) -> str:
    """``suggested`` is what the content shows, against what the file's name says."""
    if suggested:
        return f"rename it or pass --{option} {suggested}"
    return f"pass --{option} to say which"


class NotFound(BitextError):
    status = 404


class Conflict(BitextError):
    status = 409
