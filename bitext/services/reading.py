"""Read models for pages and the API: plain data, no ORM objects leave this module."""

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property

from bitext.core.align.confidence import BeadText, bead_confidences, is_uncertain
from bitext.core.cite.record import CitedVersion
from bitext.core.sides import SIDES
from bitext.errors import NotFound
from bitext.store import documents as store
from bitext.store import works as work_store
from bitext.store.catalogue import documents_page, filter_values
from bitext.store.database import Database, Session
from bitext.store.schema import Document

PUBLIC_STATUSES = ("published",)


@dataclass(frozen=True)
class AuthorView:
    name: str
    romanized: str | None


@dataclass(frozen=True)
class DocumentSummary:
    slug: str
    status: str
    title_original: str
    title_translation: str
    language_original: str
    language_translation: str
    authors: list[AuthorView]
    source: str | None
    source_translation: str | None
    date: dt.date | None  # of the original
    version_date: dt.date | None  # of the version translated, when not the original
    translator: str | None
    publisher: str | None
    summary: str | None
    tags: list[str]
    url_original: str | None
    licence: str | None
    extra: dict
    created_at: dt.datetime
    corrected_at: dt.datetime | None
    work_version: CitedVersion | None = None  # named in citations (read with the document)

    @property
    def cited_date(self) -> dt.date | None:
        """The date the library sorts, lists and cites the document by: the version
        translated (the 2018 text of a 1982 constitution), else the original's."""
        return self.version_date or self.date


@dataclass(frozen=True)
class SentenceView:
    id: int
    text: str
    bead: int | None  # position of its sentence bead: the key that links counterparts


@dataclass(frozen=True)
class ParagraphView:
    id: int
    text: str
    sentences: list[SentenceView]


@dataclass(frozen=True)
class BeadView:
    source: list[int]
    target: list[int]
    score: float
    confirmed: bool


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side view: a paragraph bead; ``number`` gives ``#p{number}``."""

    number: int
    original: list[ParagraphView]
    translation: list[ParagraphView]
    score: float
    confirmed: bool = False  # an editor made or checked this link; else the aligner's


@dataclass(frozen=True)
class DocumentView:
    meta: DocumentSummary
    rows: list[Row]
    paragraph_beads: list[BeadView]
    sentence_beads: list[BeadView]
    method: str
    alignment_id: int
    revisions: dict[str, int]  # side -> current revision number (the base of an edit)

    @property
    def original(self) -> list[ParagraphView]:
        return [p for row in self.rows for p in row.original]

    @property
    def translation(self) -> list[ParagraphView]:
        return [p for row in self.rows for p in row.translation]

    @cached_property
    def confidences(self) -> dict[int, float]:
        """Row number -> the probability that the row's link is exactly right
        (``core.align.confidence``): what the reader's flag and the editors' review use."""
        beads = [BeadText([p.text for p in r.original], [p.text for p in r.translation],
                          r.score) for r in self.rows]
        probabilities = bead_confidences(beads, self.meta.language_original,
                                         self.meta.language_translation)
        return {r.number: p for r, p in zip(self.rows, probabilities, strict=True)}

    def is_uncertain(self, row: Row) -> bool:
        """Whether to flag the row to readers: not checked by an editor and not likely
        enough to be right."""
        return is_uncertain(self.confidences.get(row.number, 1.0), row.confirmed)


@dataclass(frozen=True)
class DocumentFilters:
    tag: str | None = None
    source: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class DocumentPage:
    items: list[DocumentSummary]
    total: int
    page: int
    per_page: int
    filters: DocumentFilters = field(default_factory=DocumentFilters)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class FacetValues:
    tags: list[str]
    sources: list[str]
    years: list[int]


def list_documents(
    database: Database,
    filters: DocumentFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    statuses: tuple[str, ...] = PUBLIC_STATUSES,
) -> DocumentPage:
    """Documents, newest first (by date, then by when they were added)."""
    page = max(1, page)
    with database.reader() as session:
        total, rows = documents_page(
            session, statuses, tag=filters.tag, source=filters.source, year=filters.year,
            offset=(page - 1) * per_page, limit=per_page,
        )
        items = [document_summary(d) for d in rows]
    return DocumentPage(items, total, page, per_page, filters)


def facet_values(database: Database) -> FacetValues:
    """The tags, sources and years there are to filter by."""
    with database.reader() as session:
        return FacetValues(*filter_values(session, PUBLIC_STATUSES))


EVERY_STATUS = ("draft", "published", "withdrawn")


def get_document(
    database: Database, slug: str, *, statuses: tuple[str, ...] = PUBLIC_STATUSES
) -> DocumentView:
    """A document with its latest alignment, ready for the reader; readers see only
    published ones, editors pass ``statuses=EVERY_STATUS``."""
    with database.reader() as session:
        return _document_view(session, store.document_by_slug(session, slug, statuses))


def document_version(
    database: Database, slug: str, *, statuses: tuple[str, ...] = PUBLIC_STATUSES
) -> str:
    """What a cached page of the document is keyed on: it changes with any correction,
    alignment edit, metadata edit or status change (NotFound as ``get_document``)."""
    with database.reader() as session:
        return store.document_version(session, slug, statuses)


def _document_view(session: Session, document: Document) -> DocumentView:
    alignment = store.latest_alignment(session, document.id)
    if alignment is None:
        raise NotFound("Document not found")
    paragraph_beads = store.beads_of(session, alignment.id, "paragraph")
    sentence_beads = store.beads_of(session, alignment.id, "sentence")
    sentence_bead_of = {
        sid: bead.position
        for bead in sentence_beads
        for sid in (*bead.source_ids, *bead.target_ids)
    }
    paragraphs = {}
    for revision_id in (alignment.original_revision_id, alignment.translation_revision_id):
        segments = store.revision_paragraphs(session, revision_id)
        sentences = store.sentences_of(session, [s.id for s in segments])
        for segment in segments:
            paragraphs[segment.id] = ParagraphView(
                segment.id,
                segment.text,
                [
                    SentenceView(s.id, s.text, sentence_bead_of.get(s.id))
                    for s in sentences[segment.id]
                ],
            )
    rows = [
        Row(
            number=i + 1,
            original=[paragraphs[pid] for pid in bead.source_ids],
            translation=[paragraphs[pid] for pid in bead.target_ids],
            score=bead.score,
            confirmed=bead.confirmed,
        )
        for i, bead in enumerate(paragraph_beads)
    ]
    return DocumentView(
        meta=document_summary(document, _cited_version(session, document)),
        rows=rows,
        paragraph_beads=[_bead_view(b) for b in paragraph_beads],
        sentence_beads=[_bead_view(b) for b in sentence_beads],
        method=alignment.method,
        alignment_id=alignment.id,
        revisions={
            side: store.current_revision(session, document.id, side).number
            for side in SIDES
        },
    )


def _bead_view(bead) -> BeadView:
    return BeadView(list(bead.source_ids), list(bead.target_ids), bead.score, bead.confirmed)


def _cited_version(session: Session, document: Document) -> CitedVersion | None:
    found = work_store.cited_version(session, document.id)
    if found is None:
        return None
    return CitedVersion(*found, official=(document.extra or {}).get("official") is True)


def document_summary(document: Document,
                     work_version: CitedVersion | None = None) -> DocumentSummary:
    return DocumentSummary(
        slug=document.slug,
        status=document.status,
        title_original=document.title_original,
        title_translation=document.title_translation,
        language_original=document.language_original,
        language_translation=document.language_translation,
        authors=[AuthorView(a.name, a.romanized) for a in document.authors],
        source=document.source,
        source_translation=document.source_translation,
        date=document.date,
        version_date=document.version_date,
        translator=document.translator,
        publisher=document.publisher,
        summary=document.summary,
        tags=[t.name for t in document.tags],
        url_original=document.url_original,
        licence=document.licence,
        extra=dict(document.extra or {}),
        created_at=document.created_at,
        corrected_at=document.corrected_at,
        work_version=work_version,
    )
