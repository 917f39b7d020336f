"""A document's metadata as one CSL-JSON record, the single source of every citation format.

The record follows the form translation libraries use (e.g. CSIS Interpret: China): the
author romanized with the original script in parentheses, "English title [original
title]", the library as the container, and the original publication's source as
``original-publisher``. Each field from the metadata is bidi-isolated, so a right-to-left
override in it cannot reorder the rest of the citation.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from bitext.core.text.normalize import bidi_isolated
from bitext.core.text.romanize import has_han, romanize_name

# Longer Han names are institutions: a syllable-by-syllable pinyin of those helps nobody.
PERSONAL_NAME_MAX_CHARS = 4


class AuthorLike(Protocol):
    """Read-only members, so frozen dataclasses fit."""

    @property
    def name(self) -> str: ...

    @property
    def romanized(self) -> str | None: ...


class SummaryLike(Protocol):
    """What a citation needs of a document (``services.reading.DocumentSummary`` has it)."""

    @property
    def slug(self) -> str: ...

    @property
    def title_original(self) -> str: ...

    @property
    def title_translation(self) -> str: ...

    @property
    def language_original(self) -> str: ...

    @property
    def language_translation(self) -> str: ...

    @property
    def authors(self) -> Sequence[AuthorLike]: ...

    @property
    def source(self) -> str | None: ...

    @property
    def source_translation(self) -> str | None: ...

    @property
    def date(self) -> dt.date | None: ...

    @property
    def version_date(self) -> dt.date | None: ...

    @property
    def translator(self) -> str | None: ...

    @property
    def publisher(self) -> str | None: ...

    @property
    def summary(self) -> str | None: ...

    @property
    def tags(self) -> Sequence[str]: ...

    @property
    def created_at(self) -> dt.datetime: ...


@dataclass(frozen=True)
class CitedVersion:
    """The version of a work a document translates, named in its citation when the work
    has more than one version or the version more than one translation (a document that
    is the only translation of the only version is cited as before works existed)."""

    work: str  # the work's slug
    label: str
    date: dt.date | None
    official: bool  # the translation's, from the document's metadata

    def describe(self) -> str:
        """``version 2018, 2018-03-11; official translation``."""
        dated = f", {self.date.isoformat()}" if self.date else ""
        kind = "official" if self.official else "unofficial"
        return f"version {bidi_isolated(self.label)}{dated}; {kind} translation"


def permalink(slug: str, paragraph: int | None = None, base_url: str = "",
              version: CitedVersion | None = None) -> str:
    """``{base_url}/documents/{slug}``, or ``{base_url}/works/{work}/{version}/{slug}``
    naming the version (it leads to the same page), with ``#p{paragraph}`` for one
    paragraph."""
    where = f"works/{version.work}/{quote(version.label)}" if version else "documents"
    url = f"{base_url.rstrip('/')}/{where}/{slug}"
    return f"{url}#p{paragraph}" if paragraph is not None else url


def author_display(name: str, romanized: str | None) -> str:
    """``Ma Xingrui (马兴瑞)``: romanized name, original script in parentheses."""
    name = name.strip()
    if not romanized and has_han(name) and len(name) <= PERSONAL_NAME_MAX_CHARS:
        romanized = romanize_name(name)
    romanized = (romanized or "").strip()
    if not romanized or romanized == name:
        return name
    return f"{romanized} ({name})"


def _bracketed(english: str | None, original: str | None) -> str | None:
    """``English [original]``, or whichever exists when they do not differ."""
    english, original = (bidi_isolated(t) if t else t for t in (english, original))
    if english and original and english.strip() != original.strip():
        return f"{english} [{original}]"
    return english or original or None


def _date_parts(date: dt.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def citation_record(
    meta: SummaryLike,
    *,
    library_name: str = "bitext",
    base_url: str = "",
    paragraph: int | None = None,
    version: CitedVersion | None = None,
) -> dict:
    """The CSL-JSON item for a document, or for one of its paragraphs (``#p{n}`` URL);
    with ``version``, the version and the kind of translation as its ``genre`` (which
    Chicago, APA and MLA all print) and in its URL."""
    record: dict = {
        "id": meta.slug if paragraph is None else f"{meta.slug}-p{paragraph}",
        "type": "webpage",
        "title": _bracketed(meta.title_translation, meta.title_original),
        "container-title": library_name,
        "URL": permalink(meta.slug, paragraph, base_url, version),
        "language": meta.language_translation,
    }
    authors = [
        {"literal": bidi_isolated(author_display(a.name, a.romanized))}
        for a in meta.authors if a.name.strip()
    ]
    if authors:
        record["author"] = authors
    source = _bracketed(meta.source_translation, meta.source)
    if source:
        record["original-publisher"] = source
    issued = meta.version_date or meta.date
    if issued:
        # The date of the version translated (else of the original); as ``issued`` (not
        # ``original-date``) every style prints it once, where the reader looks for it.
        record["issued"] = _date_parts(issued)
    if meta.date:
        # The year the original appeared, for "(Original work published 1982)" (APA) and
        # "Originally published 1982" (MLA): a year, never the publisher's name.
        record["original-date"] = {"date-parts": [[meta.date.year]]}
    if meta.translator:
        record["translator"] = [{"literal": bidi_isolated(meta.translator)}]
        record["note"] = f"Translated by {bidi_isolated(meta.translator)}"
    if version is not None:
        record["genre"] = version.describe()
    if meta.summary:
        record["abstract"] = bidi_isolated(meta.summary)
    if meta.tags:
        record["keyword"] = ", ".join(bidi_isolated(t) for t in meta.tags)
    return record
