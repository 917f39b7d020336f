"""What every reader returns: the document's blocks in reading order, its notes apart from
them, its tables as rows (for bilingual files), and a tally of what was left out."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("paragraph", "heading", "item")


@dataclass(frozen=True)
class Block:
    """One paragraph of text on one line (no newline inside); ``lang`` is the block's
    declared language (HTML ``lang`` attribute, Word's language mark) when it has one."""

    text: str
    kind: str = "paragraph"
    lang: str | None = None


@dataclass(frozen=True)
class Note:
    """A footnote or endnote, kept apart from the text; ``block`` is the index of the block
    whose reference mark it belongs to (None when the mark was not found)."""

    text: str
    block: int | None = None


@dataclass
class ReadDocument:
    format: str
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cell texts
    removed: Counter[str] = field(default_factory=Counter)  # e.g. "running headers": 12
    pages: int | None = None
    joined_lines: int = 0  # hard line breaks inside a paragraph, joined

    def count(self, kind: str) -> int:
        return sum(1 for block in self.blocks if block.kind == kind)
