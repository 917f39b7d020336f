"""Corrections by editors: paragraph text, metadata, status, alignment.

Every change is a new revision (text), metadata snapshot or alignment, written in one
transaction with its audit row. A save names the revision it was based on; if another
editor saved first, the save is refused with both texts (optimistic concurrency).
"""

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bitext.core.align import Aligner, Bead, align_document
from bitext.core.metadata import parse_metadata
from bitext.core.text.languages import joins_without_spaces
from bitext.core.text.normalize import normalize_text
from bitext.core.text.segment import Paragraph, segment_paragraph
from bitext.errors import Conflict, InputError, NotFound
from bitext.services.accounts import Account
from bitext.services.alignment import default_aligner
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database, pause_in_write
from bitext.store.documents import BeadRow
from bitext.store.schema import Document, MetadataRevision, utcnow
from bitext.store.search_index import index_revision

STATUS_CHANGES = {
    "draft": {"published"},
    "published": {"withdrawn", "draft"},
    "withdrawn": {"published"},
}
NOTE_MAX_CHARS = 2000
PARAGRAPH_MAX_CHARS = 100_000
CORRECTION_ATTEMPTS = 3
"""How often a correction is re-aligned when the other side changes while it aligns."""


class DocumentWithdrawn(InputError):
    """Withdrawn documents are read-only until published again."""

    def __init__(self) -> None:
        super().__init__("a withdrawn document cannot be edited; publish it again first")


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
    note = _clean_note(note)
    if side not in ("original", "translation"):
        raise InputError("side must be original or translation")
    for _attempt in range(CORRECTION_ATTEMPTS):
        plan = _plan_correction(database, slug, side, paragraph_id, base_revision, new_text,
                                aligner)
        with database.transaction() as session:
            document = _editable_document(session, slug)
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
    sentences: "_AlignedSentences"


def _plan_correction(
    database: Database, slug: str, side: str, paragraph_id: int, base_revision: int,
    new_text: str, aligner: Aligner | None,
) -> _CorrectionPlan:
    """Read in a short snapshot, then segment and align with no lock held."""
    key = "source_ids" if side == "original" else "target_ids"
    with database.reader() as session:
        document = _editable_document(session, slug)
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
    aligned = _AlignedSentences(source, target, [])
    if bead is not None:
        aligned = _align_texts(source, target, aligner or default_aligner(*languages))
    return _CorrectionPlan(text, segments[position].text, *plan_ids, paragraphs, position,
                           aligned)


def _write_correction(
    session: Session, document: Document, editor: Account, side: str, paragraph_id: int,
    plan: _CorrectionPlan, note: str, address: str | None,
) -> SavedEdit:
    """Rows only: the revision, its search index, the alignment and the audit row."""
    language = getattr(document, f"language_{side}")
    revision, new_ids, sentence_ids = store.add_revision(
        session, document, side, plan.paragraphs, note, author_id=editor.id,
        replaces={plan.position: paragraph_id},
    )
    pause_in_write(session, "correction-after-revision-row")
    index_revision(session, document.id, side, language, [i for ids in sentence_ids
                                                           for i in ids])
    new_id = new_ids[plan.position]
    _realign_after_edit(session, document, side, paragraph_id, new_id, editor, plan)
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
        new_paragraph_beads.append(_copy(bead, **{key: ids}))
    old_sentences = set(_sentence_ids(session, [*affected[0], *affected[1]])) if affected else set()
    kept = [
        _copy(b) for b in sentence_beads if not old_sentences & {*b.source_ids, *b.target_ids}
    ]
    insert_at = next(
        (i for i, b in enumerate(sentence_beads)
         if old_sentences & {*b.source_ids, *b.target_ids}),
        len(sentence_beads),
    )
    fresh: list[BeadRow] = []
    if affected:
        edited = next(b for b in new_paragraph_beads if new_id in getattr(b, key))
        fresh = _planned_sentence_beads(session, edited.source_ids, edited.target_ids,
                                        plan.sentences)
    store.add_alignment_rows(
        session, document, revisions, previous.method,
        {"paragraph": new_paragraph_beads, "sentence": kept[:insert_at] + fresh + kept[insert_at:]},
        author_id=editor.id,
    )


@dataclass(frozen=True)
class _AlignedSentences:
    """Sentence beads aligned with no lock held, over these texts of one paragraph bead."""

    source: list[str]
    target: list[str]
    beads: list[Bead]


def _align_texts(source: list[str], target: list[str], aligner: Aligner) -> _AlignedSentences:
    return _AlignedSentences(source, target,
                             align_document([source], [target], aligner).sentences)


def _planned_sentence_beads(
    session: Session, source_paragraphs: list[int], target_paragraphs: list[int],
    planned: _AlignedSentences,
) -> list[BeadRow]:
    """The planned beads over the stored sentences, which must be the ones aligned."""
    source = _sentence_rows(session, source_paragraphs)
    target = _sentence_rows(session, target_paragraphs)
    if [t for _, t in source] != planned.source or [t for _, t in target] != planned.target:
        raise Conflict("the alignment was changed by someone else; reload and try again")
    return [
        BeadRow([source[i][0] for i in b.source], [target[j][0] for j in b.target], b.score,
                False)
        for b in planned.beads
    ]


def _copy(bead, **changes) -> BeadRow:
    row = BeadRow(list(bead.source_ids), list(bead.target_ids), bead.score, bead.confirmed)
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def _sentence_rows(session: Session, paragraph_ids: list[int]) -> list[tuple[int, str]]:
    by_parent = store.sentences_of(session, paragraph_ids)
    return [(s.id, s.text) for pid in paragraph_ids for s in by_parent[pid]]


def _sentence_ids(session: Session, paragraph_ids: list[int]) -> list[int]:
    return [sid for sid, _ in _sentence_rows(session, paragraph_ids)]


# ---- alignment editing -------------------------------------------------------------------

ALIGNMENT_OPERATIONS = ("merge", "split", "move-forward", "move-backward", "confirm")


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
    if level not in ("paragraph", "sentence"):
        raise InputError("level must be paragraph or sentence")
    if operation not in ALIGNMENT_OPERATIONS:
        raise InputError(f"operation must be one of: {', '.join(ALIGNMENT_OPERATIONS)}")
    note = _clean_note(note, required=False)
    plan = _plan_alignment_edit(database, slug, base_alignment, level, position, operation,
                                side, source_count, target_count, aligner)
    with database.transaction() as session:
        document = _editable_document(session, slug)
        previous = store.current_alignment(session, document.id)
        if previous.id != base_alignment:
            raise Conflict("the alignment was changed by someone else; reload and try again")
        rows = plan.rows
        if level == "paragraph":
            rows["sentence"] = _settled_sentences(session, rows["paragraph"], plan.by_row)
        alignment = store.add_alignment_rows(
            session, document, store.current_revisions(session, document.id), previous.method,
            rows, note=note or None, author_id=editor.id,
        )
        if operation != "confirm":
            document.corrected_at = document.updated_at = utcnow()
        audit.record(
            session, f"alignment.{operation}", f"document:{slug}", user_id=editor.id,
            address=address, detail={"level": level, "position": position, "side": side},
        )
        return alignment.id


def _apply(beads: list[BeadRow], position: int, operation: str, side: str,
           source_count: int, target_count: int) -> None:
    bead = beads[position]
    if operation == "confirm":
        bead.confirmed = True
        return
    if operation == "split":
        if not (0 <= source_count <= len(bead.source_ids)
                and 0 <= target_count <= len(bead.target_ids)):
            raise InputError("cannot split there")
        first = BeadRow(bead.source_ids[:source_count], bead.target_ids[:target_count], 0, True)
        second = BeadRow(bead.source_ids[source_count:], bead.target_ids[target_count:], 0, True)
        if not (first.source_ids or first.target_ids) or not (
            second.source_ids or second.target_ids
        ):
            raise InputError("a split must leave something on both sides of it")
        beads[position:position + 1] = [first, second]
        return
    if position + 1 >= len(beads):
        raise InputError("there is no next bead")
    following = beads[position + 1]
    if operation == "merge":
        beads[position:position + 2] = [BeadRow(
            bead.source_ids + following.source_ids, bead.target_ids + following.target_ids,
            0, True)]
        return
    key = "source_ids" if side == "original" else "target_ids"
    here, there = getattr(bead, key), getattr(following, key)
    if operation == "move-forward":
        if not here:
            raise InputError("nothing to move")
        here, there = here[:-1], [here[-1], *there]
    else:
        if not there:
            raise InputError("nothing to move")
        here, there = [*here, there[0]], there[1:]
    setattr(bead, key, here)
    setattr(following, key, there)
    bead.confirmed = following.confirmed = True
    beads[:] = [b for b in beads if b.source_ids or b.target_ids]


def _check_nesting(session: Session, rows: dict[str, list[BeadRow]]) -> None:
    """Sentence beads may not cross paragraph beads."""
    owner = {}
    for index, bead in enumerate(rows["paragraph"]):
        for sid in _sentence_ids(session, [*bead.source_ids, *bead.target_ids]):
            owner[sid] = index
    for bead in rows["sentence"]:
        if len({owner[s] for s in (*bead.source_ids, *bead.target_ids)}) > 1:
            raise InputError("those sentences are in different paragraph rows")


RowSentences = list[BeadRow] | _AlignedSentences
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
        document = _editable_document(session, slug)
        languages = (document.language_original, document.language_translation)
        previous = store.current_alignment(session, document.id)
        if previous.id != base_alignment:
            raise Conflict("the alignment was changed by someone else; reload and try again")
        rows = {
            lvl: [_copy(b) for b in store.beads_of(session, previous.id, lvl)]
            for lvl in ("paragraph", "sentence")
        }
        beads = rows[level]
        if not 0 <= position < len(beads):
            raise InputError("no such bead")
        _apply(beads, position, operation, side, source_count, target_count)
        if level == "sentence":
            _check_nesting(session, rows)
            return _AlignmentPlan(rows, [])
        split = _resplit_sentences(session, rows)
    by_row: list[RowSentences] = []
    for row in split:
        if isinstance(row, tuple):
            aligner = aligner or default_aligner(*languages)
            by_row.append(_align_texts(*row, aligner))
        else:
            by_row.append(row)
    return _AlignmentPlan(rows, by_row)


def _resplit_sentences(
    session: Session, rows: dict[str, list[BeadRow]]
) -> list[list[BeadRow] | tuple[list[str], list[str]]]:
    """After a paragraph-level change, per paragraph row: the sentence beads that still
    nest in it, or, where some do not, its sentence texts to align again."""
    owner = {}
    for index, bead in enumerate(rows["paragraph"]):
        for sid in _sentence_ids(session, [*bead.source_ids, *bead.target_ids]):
            owner[sid] = index
    by_row: dict[int, list[BeadRow]] = {i: [] for i in range(len(rows["paragraph"]))}
    broken = set()
    for bead in rows["sentence"]:
        rows_touched = {owner[s] for s in (*bead.source_ids, *bead.target_ids)}
        if len(rows_touched) == 1:
            by_row[rows_touched.pop()].append(bead)
        else:
            broken |= rows_touched
    return [
        ([t for _, t in _sentence_rows(session, bead.source_ids)],
         [t for _, t in _sentence_rows(session, bead.target_ids)])
        if index in broken else by_row[index]
        for index, bead in enumerate(rows["paragraph"])
    ]


def _settled_sentences(
    session: Session, paragraphs: list[BeadRow], by_row: list[RowSentences]
) -> list[BeadRow]:
    """Rows only: the kept sentence beads, and the planned ones of rows aligned again."""
    result: list[BeadRow] = []
    for bead, sentences in zip(paragraphs, by_row, strict=True):
        if isinstance(sentences, _AlignedSentences):
            result.extend(_planned_sentence_beads(session, bead.source_ids, bead.target_ids,
                                                  sentences))
        else:
            result.extend(sentences)
    return result


# ---- metadata and status -----------------------------------------------------------------


def edit_metadata(
    database: Database,
    editor: Account,
    slug: str,
    base_version: int,
    changes: dict,
    note: str,
    *,
    address: str | None = None,
) -> int:
    """Change metadata fields (not the slug or languages); returns the new version."""
    note = _clean_note(note)
    with database.transaction() as session:
        document = _editable_document(session, slug)
        version = _metadata_version(session, document.id)
        if version != base_version:
            raise Conflict("the metadata was changed by someone else; reload and try again")
        current = metadata_dict(document)
        allowed = {k: v for k, v in changes.items()
                   if k not in ("slug", "language_original", "language_translation", "status")}
        meta = parse_metadata({**current, **allowed})
        for field in ("title_original", "title_translation", "source", "source_translation",
                      "date", "translator", "publisher", "summary", "url_original", "licence"):
            setattr(document, field, getattr(meta, field))
        store.set_authors_and_tags(session, document, meta)
        session.add(MetadataRevision(
            document_id=document.id, number=version + 1,
            metadata_json=meta.model_dump(mode="json"), note=note, author_id=editor.id,
        ))
        document.corrected_at = document.updated_at = utcnow()
        audit.record(session, "metadata.edit", f"document:{slug}", user_id=editor.id,
                     address=address, detail={"fields": sorted(allowed), "note": note})
        return version + 1


def metadata_version(database: Database, slug: str) -> int:
    with database.reader() as session:
        document = session.scalar(select(Document).where(Document.slug == slug))
        if document is None:
            raise NotFound("Document not found")
        return _metadata_version(session, document.id)


def _metadata_version(session: Session, document_id: int) -> int:
    return session.scalar(
        select(MetadataRevision.number)
        .where(MetadataRevision.document_id == document_id)
        .order_by(MetadataRevision.number.desc())
        .limit(1)
    ) or 0


def metadata_dict(document: Document) -> dict:
    return {
        "slug": document.slug,
        "title_original": document.title_original,
        "title_translation": document.title_translation,
        "language_original": document.language_original,
        "language_translation": document.language_translation,
        "authors": [{"name": a.name, "romanized": a.romanized} for a in document.authors],
        "source": document.source,
        "source_translation": document.source_translation,
        "date": document.date.isoformat() if document.date else None,
        "translator": document.translator,
        "publisher": document.publisher,
        "summary": document.summary,
        "tags": [t.name for t in document.tags],
        "url_original": document.url_original,
        "licence": document.licence,
        "status": "published" if document.status == "published" else "draft",
    }


def change_status(
    database: Database, editor: Account, slug: str, status: str, *, address: str | None = None
) -> None:
    """draft → published → withdrawn (and back to published)."""
    with database.transaction() as session:
        document = session.scalar(select(Document).where(Document.slug == slug))
        if document is None:
            raise NotFound("Document not found")
        if status not in STATUS_CHANGES.get(document.status, set()):
            raise InputError(f"a {document.status} document cannot become {status}")
        audit.record(session, "document.status", f"document:{slug}", user_id=editor.id,
                     address=address, detail={"from": document.status, "to": status})
        document.status = status
        document.updated_at = utcnow()


def _editable_document(session: Session, slug: str) -> Document:
    document = session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound("Document not found")
    if document.status == "withdrawn":
        raise DocumentWithdrawn
    return document


def _clean_note(note: str, *, required: bool = True) -> str:
    note = re.sub(r"\s+", " ", note or "").strip()
    if required and not note:
        raise InputError("please say what you changed in the note")
    if len(note) > NOTE_MAX_CHARS:
        raise InputError(f"the note is too long (at most {NOTE_MAX_CHARS} characters)")
    return note


def _one_paragraph(text: str, language: str) -> str:
    text = normalize_text(text)
    joiner = "" if joins_without_spaces(language) else " "
    text = joiner.join(line.strip() for line in text.split("\n") if line.strip())
    if not text:
        raise InputError("the paragraph cannot be empty")
    if len(text) > PARAGRAPH_MAX_CHARS:
        raise InputError("the paragraph is too long")
    return text


