"""A long document's table of contents, read from its headings: parts, chapters, sections
and articles as legal texts number them (第一章 / 第十二条 / Chapter II / Article 12).

A row is a heading when one of its paragraphs (either language) starts with such a label.
Chapters and larger make the table of contents; articles are what "go to article" finds.
"""

import re
from dataclasses import dataclass

from bitext.core.text.numerals import roman_value
from bitext.services.reading import Row

# Level of each kind of unit: smaller numbers hold larger ones.
_CJK_UNITS = {"编": 1, "編": 1, "章": 2, "节": 3, "節": 3, "条": 4, "條": 4}
_LATIN_UNITS = {"part": 1, "chapter": 2, "section": 3, "article": 4}
ARTICLE_LEVEL = 4
_CJK_HEADING = re.compile(r"^\s*第([〇零一二两兩三四五六七八九十百千\d]+)([编編章节節条條])")
_LATIN_HEADING = re.compile(
    r"^\s*(part|chapter|section|article)\s+([IVXLCDM]+|\d+)\b", re.IGNORECASE)
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
LABEL_MAX_CHARS = 80


def chinese_number(text: str) -> int:
    """``十二`` -> 12, ``一百四十三`` -> 143, ``二〇`` -> 20 digit by digit, ``12`` -> 12."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _MULTIPLIERS:
            total += (1 if digit is None else digit) * _MULTIPLIERS[char]
            digit = None
        else:
            digit = _DIGITS[char] if digit is None else digit * 10 + _DIGITS[char]
    return total + (digit or 0)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 part, 2 chapter, 3 section, 4 article
    number: int
    row: int
    original: str  # the heading as written on each side ("" when that side has none)
    translation: str


def heading_of(text: str) -> tuple[int, int] | None:
    """(level, number) when ``text`` starts with a structural label, else None."""
    if match := _CJK_HEADING.match(text):
        return _CJK_UNITS[match.group(2)], chinese_number(match.group(1))
    if match := _LATIN_HEADING.match(text):
        token = match.group(2)
        number = int(token) if token.isdigit() else roman_value(token)
        return _LATIN_UNITS[match.group(1).lower()], number
    return None


def _label(texts: list[str]) -> str:
    text = " ".join(" ".join(texts).split())
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1] + "…"


def headings(rows: list[Row]) -> list[Heading]:
    """Every row that starts a part, chapter, section or article, in document order."""
    found = []
    for row in rows:
        first = [p.text for p in row.original[:1]] + [p.text for p in row.translation[:1]]
        kind = next((h for h in map(heading_of, first) if h is not None), None)
        if kind is None:
            continue
        level, number = kind
        # Articles run on into their text: only the label is the heading.
        original = [p.text for p in row.original[:1]]
        translation = [p.text for p in row.translation[:1]]
        found.append(Heading(level, number, row.number,
                             _label(original) if level < ARTICLE_LEVEL else "",
                             _label(translation) if level < ARTICLE_LEVEL else ""))
    return found


@dataclass(frozen=True)
class Outline:
    entries: list[Heading]  # what the table of contents lists
    articles: dict[int, int]  # article number -> row, for "go to article"

    @property
    def row_articles(self) -> dict[int, int]:
        """row -> article number, for the rows where an article starts."""
        return {row: number for number, row in self.articles.items()}

    @property
    def is_useful(self) -> bool:
        return len(self.entries) > 1 or len(self.articles) > 1


def outline(rows: list[Row]) -> Outline:
    """Chapters and larger units for the table of contents (articles when there are none),
    and where each article starts (its first occurrence: later ones are quotations)."""
    found = headings(rows)
    larger = [h for h in found if h.level < ARTICLE_LEVEL]
    articles: dict[int, int] = {}
    for heading in found:
        if heading.level == ARTICLE_LEVEL:
            articles.setdefault(heading.number, heading.row)
    entries = larger or [h for h in found if h.level == ARTICLE_LEVEL
                         and articles.get(h.number) == h.row]
    return Outline(entries, articles)
