"""Split a version of a law into provisions: front matter, preamble paragraphs, headings, articles.

A provision is what an amendment names: "the seventh paragraph of the preamble", "Article 62",
"Section 7 of Chapter III". Articles keep their paragraphs and items; each preamble paragraph is
its own provision because amendments count them.
"""

import re
from dataclasses import dataclass, field

from bitext.core.text.headings import read_heading
from bitext.core.versions.normalize import comparison_key

_PREAMBLE = re.compile(r"^\s*(序言|序\s*言|Preamble)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Provision:
    """One provision; ``ref`` names it by number (a section by chapter and section)."""

    kind: str  # front, preamble-heading, preamble, part, chapter, section, article
    number: int | None
    label: str  # as written: 第一百二十三条, Article 5, ¶7
    body: str  # the text without its label, lines joined by "\n"
    ref: tuple[object, ...]
    lines: tuple[str, ...] = field(repr=False)

    @property
    def key(self) -> str:
        return comparison_key(self.body)

    @property
    def ident(self) -> str:
        """Language-neutral name: ``article 62``, ``section 3.7``, ``preamble 7``."""
        number = ".".join(str(part) for part in self.ref[1:] if part is not None)
        return f"{self.kind} {number}".strip()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _label(line: str) -> tuple[str, int, str, str] | None:
    """(kind, number, label, rest) of a heading or article line, None for body text; a
    clause (第二款) is part of its article's text, not a provision."""
    heading = read_heading(line)
    if heading is None or heading.kind == "clause":
        return None
    return heading.kind, heading.number, heading.label, line[heading.end:].strip()


def split_provisions(text: str) -> list[Provision]:
    """Every non-blank line lands in exactly one provision, in order."""
    provisions: list[Provision] = []
    current: list[str] = []
    head: tuple[str, int | None, str, str] = ("front", None, "front matter", "")
    chapter: int | None = None
    in_preamble = False
    paragraph = 0

    def close() -> None:
        if not current:
            return
        kind, number, label, rest = head
        body_lines = current if kind == "front" else ([rest] if rest else []) + current[1:]
        ref: tuple[object, ...] = (kind, chapter, number) if kind == "section" else (kind, number)
        provisions.append(Provision(kind, number, label, "\n".join(body_lines), ref,
                                    tuple(current)))

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        labelled = _label(line)
        if labelled or _PREAMBLE.match(line):
            close()
            current = [line]
            if labelled:
                head = labelled
                in_preamble = False
                if labelled[0] == "chapter":
                    chapter = labelled[1]
            else:
                head = ("preamble-heading", None, line, "")
                in_preamble, paragraph = True, 0
        elif in_preamble:  # each preamble paragraph is a provision of its own
            close()
            current = []
            paragraph += 1
            provisions.append(Provision("preamble", paragraph, f"序言¶{paragraph}", line,
                                        ("preamble", paragraph), (line,)))
        else:
            current.append(line)
    close()
    return provisions
