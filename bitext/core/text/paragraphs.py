"""Split a text file into paragraphs: one per line, or one per blank-line-separated block.

Which layout a file uses is detected: if any blank line separates blocks that themselves
span several lines, the file is block-structured (Markdown, wrapped prose); otherwise every
non-empty line is a paragraph.
"""

import re

from bitext.core.text.languages import joins_without_spaces

_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def uses_blank_line_blocks(text: str) -> bool:
    """True when paragraphs are blocks of lines separated by blank lines."""
    blocks = [b for b in _BLANK_LINE.split(text.strip("\n")) if b.strip()]
    return any(len([ln for ln in b.split("\n") if ln.strip()]) > 1 for b in blocks)


def split_paragraphs(text: str, language: str = "en") -> list[str]:
    """Paragraph texts, stripped, empty ones dropped.

    In block layout the lines of a block are joined with a space, or with nothing for
    languages written without spaces (a wrapped Chinese line must not gain a space).
    """
    if not uses_blank_line_blocks(text):
        return [line.strip() for line in text.split("\n") if line.strip()]
    joiner = "" if joins_without_spaces(language) else " "
    paragraphs = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(joiner.join(lines))
    return paragraphs
