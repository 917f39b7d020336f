"""Normalise text for storage: Unicode NFC and tidy line ends, otherwise kept as given.

Full/half-width folding is *not* applied to stored text (a reader must see the text as
published); the search tokenizer folds widths for matching instead.
"""

import unicodedata


def normalize_text(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` to ``\\n``; nothing else changes."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
