"""Glossary entries (append-only revisions per term), the aligned sentence pairs the
glossary and the translation checks read, and dismissed check findings."""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bitext.errors import NotFound
from bitext.store.catalogue import document_slugs
from bitext.store.documents import beads_of, document_by_slug, latest_alignment
from bitext.store.schema import (
    Alignment,
    Document,
    GlossaryRevision,
    GlossaryTerm,
    QaDismissal,
    Segment,
    User,
)


@dataclass(frozen=True)
class StoredEntry:
    term: str
    number: int  # the revision number, 1 for a new entry
    entry: dict  # the entry's fields (see bitext.core.glossary.entry)
    note: str | None
    author: str | None
    created_at: dt.datetime


def _latest_numbers():
    return (
        select(GlossaryRevision.term_id, func.max(GlossaryRevision.number).label("number"))
        .group_by(GlossaryRevision.term_id)
        .subquery()
    )


def latest_entries(session: Session) -> list[StoredEntry]:
    """The current revision of every term, by term."""
    latest = _latest_numbers()
    rows = session.execute(
        select(GlossaryTerm.term, GlossaryRevision, User.name)
        .join(GlossaryRevision, GlossaryRevision.term_id == GlossaryTerm.id)
        .join(latest, (latest.c.term_id == GlossaryRevision.term_id)
              & (latest.c.number == GlossaryRevision.number))
        .outerjoin(User, User.id == GlossaryRevision.author_id)
        .order_by(GlossaryTerm.term)
    ).all()
    return [_stored(term, revision, author) for term, revision, author in rows]


def entry_revisions(session: Session, term: str) -> list[StoredEntry]:
    """Every revision of one term, newest first (NotFound if the term is not there)."""
    rows = session.execute(
        select(GlossaryTerm.term, GlossaryRevision, User.name)
        .join(GlossaryRevision, GlossaryRevision.term_id == GlossaryTerm.id)
        .outerjoin(User, User.id == GlossaryRevision.author_id)
        .where(GlossaryTerm.term == term)
        .order_by(GlossaryRevision.number.desc())
    ).all()
    if not rows:
        raise NotFound("Glossary entry not found")
    return [_stored(t, revision, author) for t, revision, author in rows]


def _stored(term: str, revision: GlossaryRevision, author: str | None) -> StoredEntry:
    return StoredEntry(term, revision.number, dict(revision.entry), revision.note, author,
                       revision.created_at)


def save_entry(
    session: Session, term: str, entry: dict, *, note: str | None = None,
    author_id: int | None = None,
) -> int:
    """Add a revision of ``term`` holding ``entry`` unless it is the current one already;
    return the revision number now current (0 if nothing was written: unchanged)."""
    row = session.scalar(select(GlossaryTerm).where(GlossaryTerm.term == term))
    if row is None:
        row = GlossaryTerm(term=term)
        session.add(row)
        session.flush()
    current = session.scalars(
        select(GlossaryRevision).where(GlossaryRevision.term_id == row.id)
        .order_by(GlossaryRevision.number.desc()).limit(1)
    ).first()
    if current is not None and current.entry == entry:
        return 0
    number = 1 if current is None else current.number + 1
    session.add(GlossaryRevision(term_id=row.id, number=number, entry=entry, note=note,
                                 author_id=author_id))
    session.flush()
    return number


@dataclass(frozen=True)
class AlignedPair:
    """One sentence bead of a document's latest alignment, its texts joined per side."""

    slug: str
    date: dt.date | None
    position: int  # the bead's place in the document, 0-based
    original: str
    translation: str


def document_pairs(session: Session, slug: str) -> list[AlignedPair]:
    """The sentence beads of one document's latest alignment, in order, with texts."""
    document = document_by_slug(session, slug)
    alignment = latest_alignment(session, document.id)
    return [] if alignment is None else alignment_pairs(session, document, alignment)


def alignment_pairs(session: Session, document: Document,
                    alignment: Alignment) -> list[AlignedPair]:
    """The sentence beads of one alignment of the document, in order, with texts."""
    beads = beads_of(session, alignment.id, "sentence")
    ids = {i for b in beads for i in (*b.source_ids, *b.target_ids)}
    texts = dict(session.execute(
        select(Segment.id, Segment.text).where(Segment.document_id == document.id,
                                                 Segment.kind == "sentence")
    ).all()) if ids else {}
    return [
        AlignedPair(document.slug, document.date, bead.position,
                    "".join(texts.get(i, "") for i in bead.source_ids),
                    " ".join(texts.get(i, "") for i in bead.target_ids))
        for bead in beads
    ]


def library_pairs(session: Session, statuses: Sequence[str]) -> Iterator[AlignedPair]:
    """The aligned pairs of every document with one of ``statuses``, document by document."""
    for slug in document_slugs(session, statuses):
        yield from document_pairs(session, slug)


def library_version(session: Session) -> tuple:
    """Changes whenever a document is added, corrected, realigned or its status changes:
    a key for results computed over the whole library."""
    published = func.sum(case((Document.status == "published", 1), else_=0))
    return tuple(session.execute(select(
        func.count(Document.id), published, func.max(Document.updated_at),
        select(func.max(Alignment.id)).scalar_subquery(),
    )).one())


def glossary_version(session: Session) -> tuple:
    """Changes whenever an entry is added or revised (revisions are only ever appended):
    a key for results computed from the glossary, cheaper than reading every entry."""
    return tuple(session.execute(
        select(func.count(GlossaryRevision.id), func.max(GlossaryRevision.id))).one())


def dismissed_findings(session: Session, slug: str) -> dict[str, str]:
    """finding key -> the reason an editor gave for dismissing it."""
    return dict(session.execute(
        select(QaDismissal.finding_key, QaDismissal.reason)
        .where(QaDismissal.document_id == document_by_slug(session, slug).id)
    ).all())


def dismiss_finding(
    session: Session, slug: str, finding_key: str, reason: str, author_id: int | None
) -> None:
    doc_id = document_by_slug(session, slug).id
    existing = session.scalar(select(QaDismissal).where(
        QaDismissal.document_id == doc_id, QaDismissal.finding_key == finding_key))
    if existing is None:
        session.add(QaDismissal(document_id=doc_id, finding_key=finding_key, reason=reason,
                                author_id=author_id))
    else:
        existing.reason, existing.author_id = reason, author_id
    session.flush()


