"""A long document's table of contents, read from its headings: parts, chapters, sections
and articles as legal texts number them (第一章 / 第十二条 / Chapter II / Article 12).

A row is a heading when one of its paragraphs (either language) starts with such a label.
Chapters and larger make the table of contents; articles are what "go to article" finds.
"""

from dataclasses import dataclass

from bitext.core.text.headings import KINDS, read_heading
from bitext.services.reading import Row

ARTICLE_LEVEL = KINDS.index("article") + 1  # clauses are below what a reader navigates by
LABEL_MAX_CHARS = 80


@dataclass(frozen=True)
class Heading:
    level: int  # 1 part, 2 chapter, 3 section, 4 article
    number: int
    row: int
    original: str  # the heading as written on each side ("" when that side has none)
    translation: str


def heading_of(text: str) -> tuple[int, int] | None:
    """(level, number) when ``text`` starts with a part, chapter, section or article label."""
    heading = read_heading(text)
    if heading is None or heading.level > ARTICLE_LEVEL:
        return None
    return heading.level, heading.number


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
