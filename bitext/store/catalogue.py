"""The library's listings: documents filtered and paged, the values there are to filter
by, the newest updates and the slugs. Whatever the dialect, the answers are the same."""

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Select, case, extract, func, select
from sqlalchemy.orm import Session

from bitext.store.schema import Document, DocumentTag, Tag

# The date a document is listed by: the version translated (the 2018 text of a 1982
# constitution), else the original's (reading.DocumentSummary.cited_date).
_CITED_DATE = func.coalesce(Document.version_date, Document.date)

# Newest first by the later of publication and last correction.
_UPDATED = case(
    (Document.corrected_at > Document.created_at, Document.corrected_at),
    else_=Document.created_at,
)


def _filtered(
    statuses: Collection[str], tag: str | None, source: str | None, year: int | None
) -> Select[Document]:
    query = select(Document).where(Document.status.in_(statuses))
    if tag:
        query = query.where(Document.id.in_(
            select(DocumentTag.document_id).join(Tag).where(Tag.name == tag)
        ))
    if source:
        query = query.where(
            (Document.source_translation == source) | (Document.source == source)
        )
    if year:
        query = query.where(_CITED_DATE.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return query


def documents_page(
    session: Session, statuses: Collection[str], *, tag: str | None = None,
    source: str | None = None, year: int | None = None, offset: int, limit: int,
) -> tuple[int, list[Document]]:
    """How many documents match (a status in ``statuses``, the tag, the source of either
    side, the year of its listed date), and ``limit`` of them from ``offset``: newest
    listed date first (the version translated, else the original; undated last), then
    most recently added."""
    query = _filtered(statuses, tag, source, year)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(_CITED_DATE.desc().nulls_last(), Document.created_at.desc())
        .offset(offset).limit(limit)
    ).all()
    return total, list(rows)


def filter_values(
    session: Session, statuses: Collection[str]
) -> tuple[list[str], list[str], list[int]]:
    """The tags, translation sources and years (newest first) of documents in ``statuses``."""
    listed = Document.status.in_(statuses)
    tags = session.scalars(
        select(Tag.name).join(DocumentTag).join(Document).where(listed).distinct()
        .order_by(Tag.name)
    ).all()
    sources = session.scalars(
        select(Document.source_translation)
        .where(listed, Document.source_translation.is_not(None))
        .distinct()
        .order_by(Document.source_translation)
    ).all()
    years = session.scalars(
        select(extract("year", _CITED_DATE)).where(listed, _CITED_DATE.is_not(None))
        .distinct()
    ).all()
    return (list(tags), [s for s in sources if s is not None],
            sorted({int(y) for y in years}, reverse=True))


def documents_newest_update_first(
    session: Session, statuses: Collection[str], limit: int | None
) -> list[Document]:
    """Documents in ``statuses``, newest first by the later of created_at and corrected_at
    (then by slug); ``limit`` of them or all."""
    query = (select(Document).where(Document.status.in_(statuses))
             .order_by(_UPDATED.desc(), Document.slug))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def document_slugs(session: Session, statuses: Collection[str] | None = None) -> list[str]:
    """Slugs of the documents in ``statuses`` (all when None), in order."""
    query = select(Document.slug).order_by(Document.slug)
    if statuses is not None:
        query = query.where(Document.status.in_(statuses))
    return list(session.scalars(query))


def every_document(session: Session) -> list[Document]:
    return list(session.scalars(select(Document)))
