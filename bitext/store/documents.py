"""Writing and reading documents, revisions, segments and beads."""

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session, aliased

from bitext.core.align import Bead as AlignedBead
from bitext.core.metadata import EDITABLE_TEXT_FIELDS, FIXED_FIELDS, DocumentMetadata
from bitext.core.text.segment import Paragraph
from bitext.errors import InputError, NotFound
from bitext.store.schema import (
    Alignment,
    Bead,
    Document,
    DocumentAuthor,
    MetadataRevision,
    Revision,
    RevisionParagraph,
    Segment,
    Tag,
    Work,
    WorkTranslation,
    WorkVersion,
)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_by_slug(
    session: Session, slug: str, statuses: Collection[str] | None = None
) -> Document:
    """The document with this slug (and one of ``statuses``, when given). Anything else is
    the same "Document not found", so a draft's existence is never revealed."""
    query = select(Document).where(Document.slug == slug)
    if statuses is not None:
        query = query.where(Document.status.in_(statuses))
    document = session.scalar(query)
    if document is None:
        raise NotFound("Document not found")
    return document


def check_slug_is_new(session: Session, slug: str) -> None:
    if session.scalar(select(Document.id).where(Document.slug == slug)) is not None:
        raise InputError(f"a document with slug {slug!r} already exists")


def insert_document(session: Session, meta: DocumentMetadata) -> Document:
    """Insert the document row with authors and tags; the slug must be new."""
    check_slug_is_new(session, meta.slug)
    document = Document(
        status=meta.status,
        extra=meta.extra_fields(),
        **{name: getattr(meta, name) for name in (*FIXED_FIELDS, *EDITABLE_TEXT_FIELDS)},
    )
    session.add(document)
    set_authors_and_tags(session, document, meta)
    session.flush()
    return document


def set_authors_and_tags(session: Session, document: Document, meta: DocumentMetadata) -> None:
    document.authors = [
        DocumentAuthor(position=i, name=a.name, romanized=a.romanized)
        for i, a in enumerate(meta.authors)
    ]
    session.flush()
    document.tags = [_tag(session, name) for name in meta.tags]


def _tag(session: Session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
    return tag


def add_revision(
    session: Session,
    document: Document,
    side: str,
    paragraphs: Sequence[Paragraph],
    note: str | None = None,
    *,
    author_id: int | None = None,
    replaces: Mapping[int, int] | None = None,
) -> tuple[Revision, list[int], list[list[int]]]:
    """Append a revision of one side.

    Paragraphs whose text equals a paragraph of the previous revision (matched in order)
    keep that paragraph's segment and its sentences, so their ids do not change.
    ``replaces`` maps a position to the paragraph id its new text corrects, so links to
    the old paragraph can lead to the new one.
    Returns the revision, the paragraph segment ids, and per paragraph its sentence ids.
    """
    previous = latest_revision(session, document.id, side)
    number = 1 if previous is None else previous.number + 1
    revision = Revision(
        document_id=document.id, side=side, number=number, note=note, author_id=author_id
    )
    session.add(revision)
    session.flush()
    reused = _reusable_paragraphs(session, previous, [p.text for p in paragraphs])
    fresh = [position for position in range(len(paragraphs)) if position not in reused]
    created = _insert_paragraphs(
        session, document.id, side, [paragraphs[p] for p in fresh],
        [(replaces or {}).get(p) for p in fresh],
    )
    kept = _sentence_ids(session, list(reused.values()))
    by_position = {**{p: kept[i] for p, i in reused.items()}, **dict(zip(fresh, created,
                                                                        strict=True))}
    paragraph_ids = [by_position[p][0] for p in range(len(paragraphs))]
    sentence_ids = [by_position[p][1] for p in range(len(paragraphs))]
    _insert_rows(session, RevisionParagraph, [
        {"revision_id": revision.id, "position": position, "segment_id": paragraph}
        for position, paragraph in enumerate(paragraph_ids)
    ])
    return revision, paragraph_ids, sentence_ids


_ROWS_PER_INSERT = 2000
"""Rows per multi-row INSERT: a 100,000-paragraph document is a few hundred statements,
not one per row (and its temporary parameter lists stay small)."""


def _insert_rows(session: Session, table: type, rows: Sequence[dict]) -> None:
    """Insert ``rows`` in bulk."""
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        session.execute(insert(table), list(rows[start:start + _ROWS_PER_INSERT]))


def _insert_segments(session: Session, rows: Sequence[dict]) -> list[int]:
    """Insert segment ``rows`` in bulk; their new ids, in the order of ``rows``."""
    ids: list[int] = []
    statement = insert(Segment).returning(Segment.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        ids.extend(session.scalars(statement, list(rows[start:start + _ROWS_PER_INSERT])))
    return ids


def _insert_paragraphs(
    session: Session, document_id: int, side: str, contents: Sequence[Paragraph],
    replaces_ids: Sequence[int | None],
) -> list[tuple[int, list[int]]]:
    """New paragraph segments and their sentences: (paragraph id, sentence ids) each."""
    common = {"document_id": document_id, "side": side}
    paragraph_ids = _insert_segments(session, [
        {**common, "kind": "paragraph", "parent_id": None, "position": 0, "text": c.text,
         "text_sha256": sha256_text(c.text), "replaces_id": replaces}
        for c, replaces in zip(contents, replaces_ids, strict=True)
    ])
    sentence_ids = iter(_insert_segments(session, [
        {**common, "kind": "sentence", "parent_id": paragraph, "position": i, "text": sentence,
         "text_sha256": sha256_text(sentence), "replaces_id": None}
        for paragraph, c in zip(paragraph_ids, contents, strict=True)
        for i, sentence in enumerate(c.sentences)
    ]))
    return [(paragraph, [next(sentence_ids) for _ in c.sentences])
            for paragraph, c in zip(paragraph_ids, contents, strict=True)]


def _sentence_ids(session: Session, paragraph_ids: list[int]) -> dict[int, tuple[int, list[int]]]:
    """(paragraph id, its sentence ids in order) by paragraph id."""
    found: dict[int, tuple[int, list[int]]] = {p: (p, []) for p in paragraph_ids}
    for start in range(0, len(paragraph_ids), 500):
        for sentence, parent in session.execute(
            select(Segment.id, Segment.parent_id)
            .where(Segment.parent_id.in_(paragraph_ids[start:start + 500]))
            .order_by(Segment.parent_id, Segment.position)
        ):
            assert parent is not None  # selected by it
            found[parent][1].append(sentence)
    return found


def _reusable_paragraphs(
    session: Session, previous: Revision | None, texts: list[str]
) -> dict[int, int]:
    if previous is None:
        return {}
    rows = session.execute(
        select(Segment.id, Segment.text_sha256)
        .join(RevisionParagraph, RevisionParagraph.segment_id == Segment.id)
        .where(RevisionParagraph.revision_id == previous.id)
        .order_by(RevisionParagraph.position)
    ).all()
    old_hashes = [h for _, h in rows]
    new_hashes = [sha256_text(t) for t in texts]
    matcher = SequenceMatcher(a=old_hashes, b=new_hashes, autojunk=False)
    reused = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            reused[block.b + k] = rows[block.a + k][0]
    return reused


def latest_revision(session: Session, document_id: int, side: str) -> Revision | None:
    return session.scalar(
        select(Revision)
        .where(Revision.document_id == document_id, Revision.side == side)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def current_revision(session: Session, document_id: int, side: str) -> Revision:
    """The latest revision of a side, which every imported document has (NotFound if not)."""
    revision = latest_revision(session, document_id, side)
    if revision is None:
        raise NotFound("Document not found")
    return revision


def current_revisions(session: Session, document_id: int) -> tuple[Revision, Revision]:
    """The latest original and translation revisions, as an alignment takes them."""
    return (current_revision(session, document_id, "original"),
            current_revision(session, document_id, "translation"))


@dataclass
class BeadRow:
    """A bead as stored: segment ids on each side, its score, whether an editor confirmed it."""

    source_ids: list[int]
    target_ids: list[int]
    score: float = 0.0
    confirmed: bool = False


def add_alignment(
    session: Session,
    document: Document,
    revisions: tuple[Revision, Revision],
    method: str,
    levels: dict[str, tuple[list[AlignedBead], list[int], list[int]]],
    engine: Mapping[str, object] | None = None,
) -> Alignment:
    """Store an aligner's output; ``levels`` maps 'paragraph'/'sentence' to (beads over
    list positions, source segment ids by position, target segment ids by position);
    ``engine`` is what made it (an ``EngineRecord`` as JSON)."""
    return add_alignment_rows(session, document, revisions, method, {
        level: [BeadRow([source_ids[i] for i in bead.source],
                        [target_ids[j] for j in bead.target], float(bead.score))
                for bead in beads]
        for level, (beads, source_ids, target_ids) in levels.items()
    }, engine=engine)


def add_alignment_rows(
    session: Session,
    document: Document,
    revisions: tuple[Revision, Revision],
    method: str,
    levels: Mapping[str, Sequence[BeadRow]],
    *,
    note: str | None = None,
    author_id: int | None = None,
    engine: Mapping[str, object] | None = None,
) -> Alignment:
    """Append an alignment of the two revisions, its beads given by segment ids per level,
    and what made it (``engine``, JSON)."""
    alignment = Alignment(
        document_id=document.id,
        original_revision_id=revisions[0].id,
        translation_revision_id=revisions[1].id,
        method=method,
        engine=None if engine is None else dict(engine),
        note=note,
        author_id=author_id,
    )
    session.add(alignment)
    session.flush()
    for level, rows in levels.items():
        _insert_rows(session, Bead, [
            {"alignment_id": alignment.id, "level": level, "position": position,
             "source_ids": list(row.source_ids), "target_ids": list(row.target_ids),
             "score": row.score, "confirmed": row.confirmed}
            for position, row in enumerate(rows)
        ])
    return alignment


def newest_id(table: type[Revision] | type[Alignment] | type[MetadataRevision], document_id):
    """The id of the document's newest row of ``table`` (rows are only ever added, so the
    highest), as a scalar subquery; ``document_id`` is a value or a column of the
    enclosing query, such as ``Document.id``. The one way to find a latest alignment."""
    return (select(func.max(table.id)).where(table.document_id == document_id)
            .correlate_except(table).scalar_subquery())


def _work_place(column):
    """The document's work, as its page names it (the work's title, the version's label)."""
    return (select(column).select_from(WorkTranslation)
            .join(WorkVersion, WorkVersion.id == WorkTranslation.version_id)
            .join(Work, Work.id == WorkVersion.work_id)
            .where(WorkTranslation.document_id == Document.id)
            .correlate(Document).scalar_subquery())  # named: it may sit two levels down


def _work_siblings():
    """The number of versions of the document's work, of their translations, and the newest
    version: a citation names the version and the translation once there are several."""
    version, translated = aliased(WorkVersion), aliased(WorkVersion)
    translation = aliased(WorkTranslation)
    work_id = _work_place(Work.id)
    return (
        select(func.count(version.id)).where(version.work_id == work_id).scalar_subquery(),
        select(func.max(version.id)).where(version.work_id == work_id).scalar_subquery(),
        select(func.count(translation.document_id))
        .join(translated, translated.id == translation.version_id)
        .where(translated.work_id == work_id).scalar_subquery(),
    )


# Built once: it runs on every reader's page view, where building it cost as much as running it.
_DOCUMENT_VERSION = select(
    Document.id, Document.status, Document.updated_at,
    newest_id(Alignment, Document.id), newest_id(Revision, Document.id),
    newest_id(MetadataRevision, Document.id),
    _work_place(WorkVersion.id), _work_place(WorkVersion.label), _work_place(Work.title),
    *_work_siblings(),
).where(Document.slug == bindparam("slug"),
        Document.status.in_(bindparam("statuses", expanding=True)))


def document_version(session: Session, slug: str, statuses: Collection[str]) -> str:
    """A token that changes with every write a reader's page of the document shows: its
    status and metadata (``updated_at``, the newest metadata snapshot), its newest text
    revision and its newest alignment (every correction and alignment edit adds one), and
    the work version it translates (its label and the work's title) and the work's other
    versions and translations (which its citation names once there are several).
    One indexed query, so a cached page can be checked without reading the document."""
    row = session.connection().execute(
        _DOCUMENT_VERSION, {"slug": slug, "statuses": list(statuses)}).one_or_none()
    if row is None or row[3] is None:  # no alignment yet: not readable
        raise NotFound("Document not found")
    return "-".join(str(value) for value in row)


def latest_alignment(session: Session, document_id: int) -> Alignment | None:
    return session.scalar(select(Alignment)
                          .where(Alignment.id == newest_id(Alignment, document_id)))


def current_alignment(session: Session, document_id: int) -> Alignment:
    """The latest alignment, which every imported document has (NotFound if not)."""
    alignment = latest_alignment(session, document_id)
    if alignment is None:
        raise NotFound("Document not found")
    return alignment


def revision_paragraphs(session: Session, revision_id: int) -> list[Segment]:
    return list(
        session.scalars(
            select(Segment)
            .join(RevisionParagraph, RevisionParagraph.segment_id == Segment.id)
            .where(RevisionParagraph.revision_id == revision_id)
            .order_by(RevisionParagraph.position)
        )
    )


def sentences_of(session: Session, paragraph_ids: Sequence[int]) -> dict[int, list[Segment]]:
    by_parent: dict[int, list[Segment]] = {pid: [] for pid in paragraph_ids}
    if not paragraph_ids:
        return by_parent
    for segment in session.scalars(
        select(Segment)
        .where(Segment.parent_id.in_(list(paragraph_ids)))
        .order_by(Segment.parent_id, Segment.position)
    ):
        assert segment.parent_id is not None  # selected by it
        by_parent[segment.parent_id].append(segment)
    return by_parent


def beads_of(session: Session, alignment_id: int, level: str) -> list[Bead]:
    return list(
        session.scalars(
            select(Bead)
            .where(Bead.alignment_id == alignment_id, Bead.level == level)
            .order_by(Bead.position)
        )
    )


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count(Document.id))) or 0
