"""Normalise text for storage: Unicode NFC, tidy line ends, and the one rule for which
characters stored text may hold; otherwise kept as given.

Full/half-width folding is *not* applied to stored text (a reader must see the text as
published); the search tokenizer folds widths for matching instead.

Control characters (C0, DEL, C1) break exports (Word refuses NUL and ESC) and terminals, so
stored text holds none but tab and newline. The ones that end a line (VT, FF from
pdftotext's page breaks, FS/GS/RS, NEL) become newlines, as ``\\r`` does; the rest are
dropped, and an import reports how many.
"""

import re
import unicodedata

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def normalize_text(text: str) -> str:
    """NFC, line breaks to ``\\n``, other control characters but tab dropped."""
    return unicodedata.normalize("NFC", without_controls(text))


def without_controls(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and no control character but tab and newline."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def dropped_controls(text: str) -> int:
    """How many characters :func:`normalize_text` drops from ``text`` (for import reports)."""
    return len(_CONTROLS.findall(text))


def has_control_characters(text: str) -> bool:
    """True if ``text`` holds a control character other than tab, newline and ``\\r``
    (short fields such as titles refuse them rather than lose them quietly)."""
    return _ANY_CONTROL.search(text) is not None


def bidi_isolated(text: str) -> str:
    """``text`` between FSI and PDI if it holds bidirectional embeddings, overrides or
    isolates: the plain-text ``<bdi>``, so a right-to-left override in a title cannot
    reorder the rest of the line it is quoted in (a citation)."""
    return f"\u2068{text}\u2069" if _BIDI_CONTROLS.search(text) else text


def has_lone_surrogate(text: str) -> bool:
    """True for text no UTF-8 store can hold (``"\\ud800"`` from a JSON escape)."""
    return _SURROGATE.search(text) is not None
