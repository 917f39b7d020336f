"""What the CLI prints from stored text: control characters shown, never obeyed.

Stored text holds no control characters since imports and edits drop them, but a library
written before then may, and titles come from anywhere: an ESC in a title must not reach the
terminal as an escape sequence, nor a right-to-left override reorder the line it sits in.
"""

import re

# C0 but tab and newline, DEL, C1, and the bidirectional embeddings, overrides and isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def controls_note(count: int) -> str:
    """The import report's note on control characters dropped from the text."""
    if not count:
        return ""
    return f"; removed {count} control character{'s' if count != 1 else ''}"
