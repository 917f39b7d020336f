"""What search shows of each matching sentence: its document, its paragraph's row and the
sentences aligned with it, read from the document's latest alignment.

``bead_members`` (kept by triggers on ``beads``) finds a segment's bead with one indexed
look-up; the bead is then read by its primary key. Result columns are typed, so dates and
JSON id lists come back as Python values on every dialect.
"""

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import Row, and_, bindparam, column, select, table, text
from sqlalchemy.orm import Session

from bitext.store.documents import newest_id
from bitext.store.schema import Alignment, Bead, Document, Segment

__all__ = ["HitDocument", "HitContext", "hit_contexts", "rows_for_ids", "sentence_partners",
           "sentence_prefixes"]


@dataclass(frozen=True)
class HitDocument:
    slug: str
    title_original: str
    title_translation: str
    date: dt.date | None
    language_original: str
    language_translation: str


@dataclass(frozen=True)
class HitContext:
    text: str  # the whole sentence
    document: HitDocument
    row: int | None  # its paragraph's bead position, 1-based (None: not aligned)
    aligned_ids: tuple[int, ...]  # the other side of its sentence bead


# Kept by triggers (migration 0002), so it has no ORM class; these are the columns read.
_BEAD_MEMBERS = table("bead_members", column("segment_id"), column("alignment_id"),
                      column("level"), column("position"))


def _member(alias: str, segment_id, level: str, document_id):
    """The bead_members row holding the segment at ``level`` in its document's latest
    alignment, and the condition joining it."""
    member = _BEAD_MEMBERS.alias(alias)
    return member, and_(member.c.segment_id == segment_id, member.c.level == level,
                        member.c.alignment_id == newest_id(Alignment, document_id))


def _bead_of(member):
    return and_(Bead.alignment_id == member.c.alignment_id, Bead.level == member.c.level,
                Bead.position == member.c.position)


_paragraph, _in_paragraph = _member("pm", Segment.parent_id, "paragraph", Document.id)
_sentence, _in_sentence = _member("sm", Segment.id, "sentence", Document.id)
_CONTEXT = (
    select(Segment.id, Segment.text, Document.id, Document.slug, Document.title_original,
           Document.title_translation, Document.date, Document.language_original,
           Document.language_translation, _paragraph.c.position, Bead.source_ids,
           Bead.target_ids)
    .select_from(Segment)
    .join(Document, Document.id == Segment.document_id)
    .outerjoin(_paragraph, _in_paragraph)
    .outerjoin(_sentence, _in_sentence)
    .outerjoin(Bead, _bead_of(_sentence))
    .where(Segment.id.in_(bindparam("ids", expanding=True)))
    .order_by(_paragraph.c.position, _sentence.c.position)
)

_PREFIXES = text(
    "SELECT id, substr(text, 1, :chars) FROM segments WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def hit_contexts(session: Session, segment_ids: Collection[int]) -> dict[int, HitContext]:
    """Each sentence's text, document, row and aligned sentence ids, by segment id."""
    if not segment_ids:
        return {}
    documents: dict[int, HitDocument] = {}
    context = {}
    rows = session.execute(_CONTEXT, {"ids": sorted(segment_ids)})
    for (sid, body, doc_id, slug, title_o, title_t, date, language_o, language_t, paragraph,
         source, target) in rows:
        document = documents.get(doc_id)
        if document is None:
            document = documents[doc_id] = HitDocument(slug, title_o, title_t, date,
                                                       language_o, language_t)
        aligned: tuple[int, ...] = ()
        if source is not None:
            aligned = tuple(target if sid in source else source)
        # with several beads holding a segment (not written by bitext), the last one wins
        context[sid] = HitContext(body, document,
                                  None if paragraph is None else paragraph + 1, aligned)
    return context


_partner, _in_partner = _member("sm", Segment.id, "sentence", Segment.document_id)
_PARTNERS = (
    select(Segment.id, _partner.c.alignment_id, _partner.c.position, Bead.source_ids,
           Bead.target_ids)
    .select_from(Segment)
    .join(_partner, _in_partner)
    .join(Bead, _bead_of(_partner))
    .where(Segment.id.in_(bindparam("ids", expanding=True)))
)
ID_BATCH = 5000  # ids bound in one statement


def rows_for_ids(session: Session, statement, ids: Collection[int]) -> Iterator[Row]:
    """The rows of ``statement`` (with an expanding ``:ids``) for every id, ``ID_BATCH``
    ids bound at a time."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_BATCH):
        yield from session.execute(statement, {"ids": ordered[start : start + ID_BATCH]})


def sentence_partners(
    session: Session, segment_ids: Collection[int]
) -> dict[int, tuple[int, int, tuple[int, ...]]]:
    """Each sentence's bead in its document's latest alignment, as (alignment id,
    position, the other side's sentence ids); sentences without one are left out."""
    return {sid: (alignment_id, position, tuple(target if sid in source else source))
            for sid, alignment_id, position, source, target
            in rows_for_ids(session, _PARTNERS, segment_ids)}


def sentence_prefixes(session: Session, segment_ids: Collection[int],
                      chars: int) -> dict[int, str]:
    """The first ``chars`` + 1 characters of each sentence (one more than shown, so the
    caller knows whether it was cut), by segment id."""
    if not segment_ids:
        return {}
    rows = session.execute(_PREFIXES, {"ids": sorted(segment_ids), "chars": int(chars) + 1})
    return {sid: body for sid, body in rows}
