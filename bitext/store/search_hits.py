"""What search shows of each matching sentence: its document, its paragraph's row and the
sentences aligned with it, read from the document's latest alignment.

``bead_members`` (kept by triggers on ``beads``) finds a segment's bead with one indexed
look-up; the bead is then read by its primary key. Result columns are typed, so dates and
JSON id lists come back as Python values on every dialect.
"""

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import JSON, Date, Row, bindparam, text
from sqlalchemy.orm import Session

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


_CONTEXT = text("""
SELECT s.id, s.text, d.id AS document_id, d.slug, d.title_original, d.title_translation,
       d.date, d.language_original, d.language_translation, pm.position,
       b.source_ids, b.target_ids
FROM segments s
JOIN documents d ON d.id = s.document_id
LEFT JOIN bead_members pm ON pm.segment_id = s.parent_id AND pm.level = 'paragraph'
     AND pm.alignment_id = (SELECT max(a.id) FROM alignments a WHERE a.document_id = d.id)
LEFT JOIN bead_members sm ON sm.segment_id = s.id AND sm.level = 'sentence'
     AND sm.alignment_id = (SELECT max(a.id) FROM alignments a WHERE a.document_id = d.id)
LEFT JOIN beads b ON b.alignment_id = sm.alignment_id AND b.level = sm.level
     AND b.position = sm.position
WHERE s.id IN :ids
ORDER BY pm.position, sm.position
""").bindparams(bindparam("ids", expanding=True)).columns(
    date=Date, source_ids=JSON, target_ids=JSON
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


_PARTNERS = text("""
SELECT s.id, sm.alignment_id, sm.position, b.source_ids, b.target_ids
FROM segments s
JOIN bead_members sm ON sm.segment_id = s.id AND sm.level = 'sentence'
     AND sm.alignment_id = (SELECT max(a.id) FROM alignments a WHERE a.document_id = s.document_id)
JOIN beads b ON b.alignment_id = sm.alignment_id AND b.level = sm.level
     AND b.position = sm.position
WHERE s.id IN :ids
""").bindparams(bindparam("ids", expanding=True)).columns(source_ids=JSON, target_ids=JSON)
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
