"""Sentence beads of one paragraph row, aligned anew with no lock held.

Both a text correction and a paragraph-level alignment edit leave some rows' sentences
unaligned. Aligning takes seconds, so it runs on a snapshot; the write then checks that the
stored sentences are still the ones aligned before it turns the plan into rows.
"""

from dataclasses import dataclass

from bitext.core.align import Aligner, Bead, align_document
from bitext.errors import Conflict
from bitext.store import documents as store
from bitext.store.database import Session
from bitext.store.documents import BeadRow
from bitext.store.schema import Bead as BeadRecord


@dataclass(frozen=True)
class AlignedSentences:
    """Sentence beads aligned with no lock held, over these texts of one paragraph bead."""

    source: list[str]
    target: list[str]
    beads: list[Bead]


def align_texts(source: list[str], target: list[str], aligner: Aligner) -> AlignedSentences:
    return AlignedSentences(source, target, align_document([source], [target], aligner).sentences)


def planned_sentence_beads(
    session: Session, source_paragraphs: list[int], target_paragraphs: list[int],
    planned: AlignedSentences,
) -> list[BeadRow]:
    """The planned beads over the stored sentences, which must be the ones aligned."""
    source = sentence_rows(session, source_paragraphs)
    target = sentence_rows(session, target_paragraphs)
    if [t for _, t in source] != planned.source or [t for _, t in target] != planned.target:
        raise Conflict("the alignment was changed by someone else; reload and try again")
    return [
        BeadRow([source[i][0] for i in b.source], [target[j][0] for j in b.target], b.score,
                False)
        for b in planned.beads
    ]


def sentence_rows(session: Session, paragraph_ids: list[int]) -> list[tuple[int, str]]:
    """(id, text) of the sentences of these paragraphs, in reading order."""
    by_parent = store.sentences_of(session, paragraph_ids)
    return [(s.id, s.text) for pid in paragraph_ids for s in by_parent[pid]]


def sentence_ids(session: Session, paragraph_ids: list[int]) -> list[int]:
    return [sid for sid, _ in sentence_rows(session, paragraph_ids)]


def copied(bead: BeadRow | BeadRecord) -> BeadRow:
    """A stored bead to write again into a new alignment (its lists not shared)."""
    return BeadRow(list(bead.source_ids), list(bead.target_ids), bead.score, bead.confirmed)

