"""The search tokenizer as the migrations that fill the index knew it (version 1), frozen.

A migration must do the same thing whenever it runs: a library upgraded years from now
still holds tokens that version 1 wrote, and what a migration adds next to them has to
match them. So the migrations call this copy, never the live tokenizer
(``bitext.core.text.tokenize``), which may change (with a migration that reindexes).
Only what migration 0008 needs is here: the words as written, unstemmed.
"""

import functools
import re
from collections.abc import Sequence

import opencc

MAX_TOKEN_CHARS = 64
_HAN = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
        "\U00020000-\U0003134f")
_TOKEN_RE = re.compile(f"(?P<han>[{_HAN}]+)|(?P<word>[^\\W_{_HAN}]+)")
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x31350))
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
MAX_POSITION_PG = 16383


@functools.cache
def _fold_table() -> dict[int, int]:
    """Full width to half width, and OpenCC's t2s one character at a time."""
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = dict(_WIDTH)
    if len(converted) == len(chars):
        for before, after in zip(chars, converted, strict=True):
            if len(after) == 1 and after != before:
                table[ord(before)] = ord(after)
    return table


def words_as_written(text: str) -> list[str]:
    """A text's index tokens, unstemmed: lower-cased words (cut at 64 characters), and
    overlapping bigrams of each Han run plus its last character, folded to simplified."""
    out: list[str] = []
    folded = text if text.isascii() else text.translate(_fold_table())
    for han, word in _TOKEN_RE.findall(folded):
        if han:
            out.extend([han[i : i + 2] for i in range(len(han) - 1)])
            out.append(han[-1])
        else:
            out.append(word.lower()[:MAX_TOKEN_CHARS])
    return out


def tsvector_literal(tokens: Sequence[str]) -> str:
    """Tokens with their 1-based positions, as PostgreSQL tsvector input."""
    quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in tokens)
    return " ".join(f"{t}:{min(i, MAX_POSITION_PG)}" for i, t in enumerate(quoted, start=1))
