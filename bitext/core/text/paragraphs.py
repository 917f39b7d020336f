"""Split a text file into paragraphs: one per line, or one per blank-line-separated block.

Which layout a file uses is detected: blank lines separating blocks of several lines mean
block layout (Markdown, wrapped prose), unless most lines inside those blocks end a
sentence, as in a line-per-paragraph file with blank lines between sections.
"""

import re

from bitext.core.text.languages import joins_without_spaces

BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_ENDS_SENTENCE = re.compile(r"[.!?;:。！？；：…\"'”’」』）)]\s*$")


def uses_blank_line_blocks(text: str) -> bool:
    """True when paragraphs are blocks of lines separated by blank lines."""
    blocks = [
        [line for line in block.split("\n") if line.strip()]
        for block in BLANK_LINE.split(text.strip("\n"))
    ]
    inner_lines = [line for lines in blocks for line in lines[:-1]]
    if sum(1 for lines in blocks if lines) < 2 or not inner_lines:
        return False
    ending = sum(1 for line in inner_lines if _ENDS_SENTENCE.search(line))
    return ending * 2 < len(inner_lines)


def split_paragraphs(text: str, language: str = "en") -> list[str]:
    """Paragraph texts, stripped, empty ones dropped.

    In block layout the lines of a block are joined with a space, or with nothing for
    languages written without spaces (a wrapped Chinese line must not gain a space).
    """
    if not uses_blank_line_blocks(text):
        return [line.strip() for line in text.split("\n") if line.strip()]
    joiner = "" if joins_without_spaces(language) else " "
    paragraphs = []
    for block in BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(joiner.join(lines))
    return paragraphs
