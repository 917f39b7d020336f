"""Structural labels at the start of a paragraph: 第十二条, 第三章, Article 12, Chapter II.

Legal texts number their parts, chapters, sections, articles and clauses; the aligner's
confidence, the split of a law into provisions and a document's table of contents all read
the same labels. How each language writes them is data (``LABEL_FORMS``); adding a language
adds a row, not a code path.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bitext.core.text.numerals import numeral_value

# Largest first: a part holds chapters, a chapter sections, and so on down to clauses.
KINDS = ("part", "chapter", "section", "article", "clause")


@dataclass(frozen=True)
class LabelForm:
    """One way of writing a label: ``pattern`` has the groups ``label`` (the label itself),
    ``unit`` (the word naming the kind) and ``number``; ``units`` maps the unit as written,
    lower-cased, to one of ``KINDS``."""

    pattern: re.Pattern[str]
    units: Mapping[str, str]


_HAN_NUMERAL = "〇零○一二两兩三四五六七八九十百千"

LABEL_FORMS = (
    # 第十二条, 第三章, 第二節 (simplified and traditional)
    LabelForm(re.compile(rf"(?P<label>第(?P<number>[{_HAN_NUMERAL}\d]+)"
                         r"(?P<unit>[编編章节節条條款]))"),
              {"编": "part", "編": "part", "章": "chapter", "节": "section", "節": "section",
               "条": "article", "條": "article", "款": "clause"}),
    # Article 12, Chapter II, SECTION 4; a full stop or colon after the number goes with it
    LabelForm(re.compile(r"(?P<label>(?P<unit>part|chapter|section|article)\s+"
                         r"(?P<number>[IVXLCDM]+|\d+)\b)[.:]?", re.IGNORECASE),
              {"part": "part", "chapter": "chapter", "section": "section", "article": "article"}),
)


@dataclass(frozen=True)
class Heading:
    kind: str  # one of KINDS
    number: int
    label: str  # as written, spaces collapsed: 第一百二十三条, Article 5
    end: int  # where the text after the label (and its full stop) starts

    @property
    def level(self) -> int:
        """1 for a part, 2 for a chapter ... 5 for a clause."""
        return KINDS.index(self.kind) + 1


def read_heading(text: str, start: int = 0) -> Heading | None:
    """The label ``text`` starts with at ``start`` (after any spaces), or None: body text,
    a label inside a sentence ("In Article 5 we read") or a numeral that is not a number."""
    at = start
    while at < len(text) and text[at].isspace():  # U+3000 too
        at += 1
    for form in LABEL_FORMS:
        if match := form.pattern.match(text, at):
            number = numeral_value(match.group("number"))
            if number is None:
                return None
            return Heading(form.units[match.group("unit").lower()], number,
                           " ".join(match.group("label").split()), match.end())
    return None
