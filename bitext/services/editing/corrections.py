"""Text corrections: an editor replaces one paragraph of one side.

Every save is a new revision and a new alignment, written in one transaction with its
audit row. A save names the revision it was based on; if another editor saved first, the
save is refused with both texts (optimistic concurrency).
"""

from dataclasses import dataclass

from bitext.core.align import Aligner
from bitext.core.sides import as_side
from bitext.core.text.languages import joins_without_spaces
from bitext.core.text.normalize import normalize_text
from bitext.core.text.segment import Paragraph, segment_paragraph
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
)
from bitext.services.qa import record_check
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database, Session, pause_in_write
from bitext.store.documents import BeadRow
from bitext.store.schema import Document, utcnow
from bitext.store.search_index import index_revision

PARAGRAPH_MAX_CHARS = 100_000
CORRECTION_ATTEMPTS = 3
"""How often a correction is re-aligned when the other side changes while it aligns."""


class EditConflict(Conflict):
    """Someone saved first. Carries both texts so the loser keeps theirs."""

    def __init__(self, current_text: str, your_text: str, current_revision: int):
        super().__init__("someone else saved this text first; your text is kept below")
        self.current_text = current_text
        self.your_text = your_text
        self.current_revision = current_revision


@dataclass(frozen=True)
class SavedEdit:
    revision: int
    paragraph_id: int


def edit_paragraph(
    database: Database,
    editor: Account,
    slug: str,
    side: str,
    paragraph_id: int,
    base_revision: int,
    new_text: str,
    note: str,
    *,
    address: str | None = None,
    aligner: Aligner | None = None,
) -> SavedEdit:
    """Replace one paragraph of one side; a new revision and a new alignment result.

    Segmenting and aligning (seconds when the encoder loads) happen before the write lock
    is taken, so other writers never wait for them; the write re-checks that what was
    aligned is still current. ``aligner`` replaces the default one (tests)."""
    note = clean_note(note)
    as_side(side)
    for _attempt in range(CORRECTION_ATTEMPTS):
        plan = _plan_correction(database, slug, side, paragraph_id, base_revision, new_text,
                                aligner)
        with database.transaction() as session:
            document = editable_document(session, slug)
            latest = store.current_revision(session, document.id, side)
            if latest.id != plan.revision_id:
                segments = store.revision_paragraphs(session, latest.id)
                current = next((s.text for s in segments if s.id == paragraph_id), "")
                raise EditConflict(current, plan.text, latest.number)
            if store.current_alignment(session, document.id).id != plan.alignment_id:
                continue  # the other side or the alignment changed: align again, unlocked
            return _write_correction(session, document, editor, side, paragraph_id, plan,
                                     note, address)
    raise EditConflict(plan.current_text, plan.text, base_revision)


@dataclass(frozen=True)
class _CorrectionPlan:
    """A correction worked out from one snapshot, to be written if it is still current."""

    text: str
    current_text: str
    revision_id: int
    alignment_id: int
    paragraphs: list[Paragraph]
    position: int
    sentences: AlignedSentences


def _plan_correction(
    database: Database, slug: str, side: str, paragraph_id: int, base_revision: int,
    new_text: str, aligner: Aligner | None,
) -> _CorrectionPlan:
    """Read in a short snapshot, then segment and align with no lock held."""
    key = "source_ids" if side == "original" else "target_ids"
    with database.reader() as session:
        document = editable_document(session, slug)
        language = getattr(document, f"language_{side}")
        languages = (document.language_original, document.language_translation)
        text = _one_paragraph(new_text, language)
        latest = store.current_revision(session, document.id, side)
        segments = store.revision_paragraphs(session, latest.id)
        ids = [s.id for s in segments]
        if latest.number != base_revision or paragraph_id not in ids:
            current = next((s.text for s in segments if s.id == paragraph_id), "")
            raise EditConflict(current, text, latest.number)
        position = ids.index(paragraph_id)
        if segments[position].text == text:
            raise InputError("the text is unchanged")
        sentences = store.sentences_of(session, ids)
        texts = [(s.text, tuple(x.text for x in sentences[s.id])) for s in segments]
        alignment = store.current_alignment(session, document.id)
        bead = next((b for b in store.beads_of(session, alignment.id, "paragraph")
                     if paragraph_id in getattr(b, key)), None)
        bead_ids = (list(bead.source_ids), list(bead.target_ids)) if bead else ([], [])
        bead_sentences = store.sentences_of(session, [*bead_ids[0], *bead_ids[1]])
        plan_ids = (latest.id, alignment.id)
    paragraphs = [Paragraph(t, s) for t, s in texts]
    paragraphs[position] = segment_paragraph(text, language)
    edited = 0 if side == "original" else 1

    def bead_texts(which: int) -> list[str]:
        return [t for pid in bead_ids[which] for t in (
            paragraphs[position].sentences if which == edited and pid == paragraph_id
            else [s.text for s in bead_sentences[pid]])]

    source, target = bead_texts(0), bead_texts(1)
    aligned = AlignedSentences(source, target, [])
    if bead is not None:
        aligned = align_texts(source, target, aligner or default_aligner(*languages))
    return _CorrectionPlan(text, segments[position].text, *plan_ids, paragraphs, position,
                           aligned)


def _write_correction(
    session: Session, document: Document, editor: Account, side: str, paragraph_id: int,
    plan: _CorrectionPlan, note: str, address: str | None,
) -> SavedEdit:
    """Rows only: the revision, its search index, the alignment, its translation checks
    and the audit row."""
    language = getattr(document, f"language_{side}")
    revision, new_ids, sentence_ids_by_paragraph = store.add_revision(
        session, document, side, plan.paragraphs, note, author_id=editor.id,
        replaces={plan.position: paragraph_id},
    )
    pause_in_write(session, "correction-after-revision-row")
    index_revision(session, document.id, side, language,
                   [i for ids in sentence_ids_by_paragraph for i in ids])
    new_id = new_ids[plan.position]
    _realign_after_edit(session, document, side, paragraph_id, new_id, editor, plan)
    record_check(session, document.slug, "correction")
    document.corrected_at = document.updated_at = utcnow()
    audit.record(
        session, "paragraph.edit", f"document:{document.slug}", user_id=editor.id,
        address=address,
        detail={"side": side, "revision": revision.number, "paragraph": new_id,
                "replaces": paragraph_id, "note": note},
    )
    return SavedEdit(revision.number, new_id)


def _realign_after_edit(
    session: Session, document: Document, side: str, old_id: int, new_id: int,
    editor: Account, plan: _CorrectionPlan,
) -> None:
    """Copy the latest alignment with the paragraph swapped and its bead's sentences
    replaced by the planned ones; every other bead keeps its score and confirmation."""
    previous = store.current_alignment(session, document.id)
    paragraph_beads = store.beads_of(session, previous.id, "paragraph")
    sentence_beads = store.beads_of(session, previous.id, "sentence")
    key = "source_ids" if side == "original" else "target_ids"
    revisions = store.current_revisions(session, document.id)
    new_paragraph_beads: list[BeadRow] = []
    affected: tuple[list[int], list[int]] | None = None
    for bead in paragraph_beads:
        ids = getattr(bead, key)
        if old_id in ids:
            ids = [new_id if i == old_id else i for i in ids]
            affected = (bead.source_ids, bead.target_ids)
        row = copied(bead)
        setattr(row, key, list(ids))
        new_paragraph_beads.append(row)
    old_sentences = (set(sentence_ids(session, [*affected[0], *affected[1]])) if affected
                     else set())
    kept = [
        copied(b) for b in sentence_beads if not old_sentences & {*b.source_ids, *b.target_ids}
    ]
    insert_at = next(
        (i for i, b in enumerate(sentence_beads)
         if old_sentences & {*b.source_ids, *b.target_ids}),
        len(sentence_beads),
    )
    fresh: list[BeadRow] = []
    if affected:
        edited = next(b for b in new_paragraph_beads if new_id in getattr(b, key))
        fresh = planned_sentence_beads(session, edited.source_ids, edited.target_ids,
                                       plan.sentences)
    store.add_alignment_rows(
        session, document, revisions, previous.method,
        {"paragraph": new_paragraph_beads, "sentence": kept[:insert_at] + fresh + kept[insert_at:]},
        author_id=editor.id, engine=previous.engine,
    )


def _one_paragraph(text: str, language: str) -> str:
    text = normalize_text(text)
    joiner = "" if joins_without_spaces(language) else " "
    text = joiner.join(line.strip() for line in text.split("\n") if line.strip())
    if not text:
        raise InputError("the paragraph cannot be empty")
    if len(text) > PARAGRAPH_MAX_CHARS:
        raise InputError("the paragraph is too long")
    return text
