"""Alignment edits: an editor merges, splits, moves or confirms a bead.

The edit itself is ``core.align.bead_edits``; this module reads the alignment, checks that
sentence beads still nest in paragraph beads, aligns the sentences of rows a paragraph edit
broke (with no lock held), and writes the new alignment with its audit row.
"""

from dataclasses import dataclass

from bitext.core.align import Aligner
from bitext.core.align.bead_edits import OPERATIONS, EditableBead, edit_beads
from bitext.core.sides import as_side
from bitext.errors import Conflict, InputError
from bitext.services.accounts import Account
from bitext.services.alignment import default_aligner
from bitext.services.editing.editable import clean_note, editable_document
from bitext.services.editing.sentences import (
    AlignedSentences,
    align_texts,
    copied,
    planned_sentence_beads,
    sentence_ids,
    sentence_rows,
)
from bitext.services.qa import record_check
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database, Session
from bitext.store.documents import BeadRow
from bitext.store.schema import utcnow

LEVELS = ("paragraph", "sentence")


def edit_alignment(
    database: Database,
    editor: Account,
    slug: str,
    base_alignment: int,
    level: str,
    position: int,
    operation: str,
    *,
    side: str = "original",
    source_count: int = 1,
    target_count: int = 1,
    note: str = "",
    address: str | None = None,
    aligner: Aligner | None = None,
) -> int:
    """Merge bead ``position`` with the next, split it after ``source_count`` source and
    ``target_count`` target segments, move a segment on ``side`` across its boundary with
    the next bead, or confirm it. Returns the new alignment id.

    Sentences a paragraph edit leaves unaligned are aligned before the write lock is taken;
    the write re-checks that the alignment and those sentences are still current.
    ``aligner`` replaces the default one (tests)."""
    if level not in LEVELS:
        raise InputError("level must be paragraph or sentence")
    if operation not in OPERATIONS:
        raise InputError(f"operation must be one of: {', '.join(OPERATIONS)}")
    note = clean_note(note, required=False)
    plan = _plan_alignment_edit(database, slug, base_alignment, level, position, operation,
                                side, source_count, target_count, aligner)
    with database.transaction() as session:
        document = editable_document(session, slug)
        previous = store.current_alignment(session, document.id)
        if previous.id != base_alignment:
            raise Conflict("the alignment was changed by someone else; reload and try again")
        rows = plan.rows
        if level == "paragraph":
            rows["sentence"] = _settled_sentences(session, rows["paragraph"], plan.by_row)
        alignment = store.add_alignment_rows(
            session, document, store.current_revisions(session, document.id), previous.method,
            rows, note=note or None, author_id=editor.id, engine=previous.engine,
        )
        record_check(session, slug, "alignment")
        if operation != "confirm":
            document.corrected_at = document.updated_at = utcnow()
        audit.record(
            session, f"alignment.{operation}", f"document:{slug}", user_id=editor.id,
            address=address, detail={"level": level, "position": position, "side": side},
        )
        return alignment.id


RowSentences = list[BeadRow] | AlignedSentences
"""A paragraph row's sentence beads: kept as they were, or aligned anew from its texts."""


@dataclass(frozen=True)
class _AlignmentPlan:
    """An alignment edit worked out from one snapshot, to be written if it is still current.
    ``by_row`` is filled for paragraph-level edits only."""

    rows: dict[str, list[BeadRow]]
    by_row: list[RowSentences]


def _plan_alignment_edit(
    database: Database, slug: str, base_alignment: int, level: str, position: int,
    operation: str, side: str, source_count: int, target_count: int, aligner: Aligner | None,
) -> _AlignmentPlan:
    """Read and apply the edit in a short snapshot, then align broken rows with no lock."""
    with database.reader() as session:
        document = editable_document(session, slug)
        languages = (document.language_original, document.language_translation)
        previous = store.current_alignment(session, document.id)
        if previous.id != base_alignment:
            raise Conflict("the alignment was changed by someone else; reload and try again")
        rows = {lvl: [copied(b) for b in store.beads_of(session, previous.id, lvl)]
                for lvl in LEVELS}
        edited = edit_beads([_editable(b) for b in rows[level]], position, operation,
                            side=as_side(side), source_count=source_count,
                            target_count=target_count)
        rows[level] = [_stored(b) for b in edited]
        if level == "sentence":
            _check_nesting(session, rows)
            return _AlignmentPlan(rows, [])
        split = _resplit_sentences(session, rows)
    by_row: list[RowSentences] = []
    for row in split:
        if isinstance(row, tuple):
            aligner = aligner or default_aligner(*languages)
            by_row.append(align_texts(*row, aligner))
        else:
            by_row.append(row)
    return _AlignmentPlan(rows, by_row)


def _editable(bead: BeadRow) -> EditableBead:
    return EditableBead(tuple(bead.source_ids), tuple(bead.target_ids), bead.score,
                        bead.confirmed)


def _stored(bead: EditableBead) -> BeadRow:
    return BeadRow(list(bead.source), list(bead.target), bead.score, bead.confirmed)


def _row_of_sentence(session: Session, paragraphs: list[BeadRow]) -> dict[int, int]:
    """Sentence id -> index of the paragraph bead it belongs to."""
    return {sid: index for index, bead in enumerate(paragraphs)
            for sid in sentence_ids(session, [*bead.source_ids, *bead.target_ids])}


def _check_nesting(session: Session, rows: dict[str, list[BeadRow]]) -> None:
    """Sentence beads may not cross paragraph beads."""
    owner = _row_of_sentence(session, rows["paragraph"])
    for bead in rows["sentence"]:
        if len({owner[s] for s in (*bead.source_ids, *bead.target_ids)}) > 1:
            raise InputError("those sentences are in different paragraph rows")


def _resplit_sentences(
    session: Session, rows: dict[str, list[BeadRow]]
) -> list[list[BeadRow] | tuple[list[str], list[str]]]:
    """After a paragraph-level change, per paragraph row: the sentence beads that still
    nest in it, or, where some do not, its sentence texts to align again."""
    owner = _row_of_sentence(session, rows["paragraph"])
    by_row: dict[int, list[BeadRow]] = {i: [] for i in range(len(rows["paragraph"]))}
    broken = set()
    for bead in rows["sentence"]:
        rows_touched = {owner[s] for s in (*bead.source_ids, *bead.target_ids)}
        if len(rows_touched) == 1:
            by_row[rows_touched.pop()].append(bead)
        else:
            broken |= rows_touched
    return [
        ([t for _, t in sentence_rows(session, bead.source_ids)],
         [t for _, t in sentence_rows(session, bead.target_ids)])
        if index in broken else by_row[index]
        for index, bead in enumerate(rows["paragraph"])
    ]


def _settled_sentences(
    session: Session, paragraphs: list[BeadRow], by_row: list[RowSentences]
) -> list[BeadRow]:
    """Rows only: the kept sentence beads, and the planned ones of rows aligned again."""
    result: list[BeadRow] = []
    for bead, sentences in zip(paragraphs, by_row, strict=True):
        if isinstance(sentences, AlignedSentences):
            result.extend(planned_sentence_beads(session, bead.source_ids, bead.target_ids,
                                                 sentences))
        else:
            result.extend(sentences)
    return result
