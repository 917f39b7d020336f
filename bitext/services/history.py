"""What changed and when: revision history, side-by-side diffs, links to old paragraphs."""

import datetime as dt
from dataclasses import dataclass
from difflib import SequenceMatcher

from bitext.core.versions.diff import word_marks
from bitext.errors import NotFound
from bitext.store import documents as store
from bitext.store import history as stored_history
from bitext.store.accounts import user_names_by_id
from bitext.store.database import Database, Session
from bitext.store.schema import Document

PUBLIC = ("published",)


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    kind: str  # "text", "metadata" or "alignment"
    side: str | None
    number: int
    note: str | None
    editor: str | None


@dataclass(frozen=True)
class DiffPiece:
    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    tag: str  # "equal", "replace", "insert" or "delete"
    old: list[DiffPiece]
    new: list[DiffPiece]


def history(database: Database, slug: str, *, statuses=PUBLIC) -> list[Change]:
    """Every revision, metadata change and alignment change, newest first."""
    with database.reader() as session:
        return _changes(session, store.document_by_slug(session, slug, statuses), None)


@dataclass(frozen=True)
class HistoryPage:
    changes: list[Change]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def history_page(
    database: Database, slug: str, *, page: int = 1, per_page: int = 50, statuses=PUBLIC
) -> HistoryPage:
    """One page of ``history``: a document corrected thousands of times has as many rows."""
    page, per_page = max(1, page), max(1, per_page)
    with database.reader() as session:
        document = store.document_by_slug(session, slug, statuses)
        total = stored_history.change_count(session, document.id)
        newest = _changes(session, document, page * per_page)
    return HistoryPage(newest[(page - 1) * per_page :], page, per_page, total)


def _changes(session: Session, document: Document, newest: int | None) -> list[Change]:
    """The document's changes, newest first; only the ``newest`` ones if given (each table
    is read newest first, so the merged list's first ``newest`` are among those read)."""
    names = user_names_by_id(session)
    changes = [
        Change(r.created_at, "text", r.side, r.number, r.note, names.get(r.author_id))
        for r in stored_history.newest_revisions(session, document.id, newest)
    ]
    changes += [
        Change(m.created_at, "metadata", None, m.number, m.note, names.get(m.author_id))
        for m in stored_history.newest_metadata_revisions(session, document.id, newest)
    ]
    # alignments are numbered from the first; read newest first, they count down
    alignment_count = stored_history.alignment_count(session, document.id)
    alignments = stored_history.newest_alignments(session, document.id, newest)
    changes += [
        Change(a.created_at, "alignment", None, alignment_count - i, a.note,
               names.get(a.author_id))
        for i, a in enumerate(alignments)
    ]
    changes.sort(key=lambda c: (c.at, c.kind != "text"), reverse=True)
    return changes if newest is None else changes[:newest]


def corrections(database: Database, slug: str, *, statuses=PUBLIC) -> list[Change]:
    """What readers see as corrections: later text revisions, metadata changes, and
    alignment changes an editor explained (re-alignment after a text edit is implied)."""
    return [
        c for c in history(database, slug, statuses=statuses)
        if (c.kind == "text" and c.number > 1) or c.kind == "metadata"
        or (c.kind == "alignment" and c.number > 1 and c.note)
    ]


def diff_revisions(
    database: Database, slug: str, side: str, old: int, new: int, *, statuses=PUBLIC
) -> list[DiffRow]:
    """Paragraph rows of two revisions of one side, with the changed characters marked."""
    with database.reader() as session:
        document = store.document_by_slug(session, slug, statuses)
        texts = []
        for number in (old, new):
            revision = stored_history.revision_numbered(session, document.id, side, number)
            if revision is None:
                raise NotFound("Revision not found")
            texts.append([s.text for s in store.revision_paragraphs(session, revision.id)])
    rows = []
    matcher = SequenceMatcher(a=texts[0], b=texts[1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffRow("equal", [DiffPiece(t, False)], [DiffPiece(t, False)])
                     for t in texts[0][i1:i2]]
            continue
        olds, news = texts[0][i1:i2], texts[1][j1:j2]
        for k in range(max(len(olds), len(news))):
            a = olds[k] if k < len(olds) else None
            b = news[k] if k < len(news) else None
            if a is not None and b is not None:
                rows.append(DiffRow("replace", *_inline(a, b)))
            elif a is not None:
                rows.append(DiffRow("delete", [DiffPiece(a, True)], []))
            elif b is not None:
                rows.append(DiffRow("insert", [], [DiffPiece(b, True)]))
    return rows


def _inline(old: str, new: str) -> tuple[list[DiffPiece], list[DiffPiece]]:
    """The two paragraphs as pieces, changed words marked (whole words, so a one-letter fix
    marks the word: "Articel" -> "Article"; Chinese by character; every character counts)."""
    left: list[DiffPiece] = []
    right: list[DiffPiece] = []
    for mark in word_marks(old, new, exact=True):
        _add(left, mark.old, mark.tag != "equal")
        _add(right, mark.new, mark.tag != "equal")
    return left, right


def _add(pieces: list[DiffPiece], text: str, changed: bool) -> None:
    if not text:
        return
    if pieces and pieces[-1].changed == changed:
        pieces[-1] = DiffPiece(pieces[-1].text + text, changed)
    else:
        pieces.append(DiffPiece(text, changed))


@dataclass(frozen=True)
class ParagraphLocation:
    row: int
    changed: bool


def locate_paragraph(
    database: Database, slug: str, paragraph_id: int, *, statuses=PUBLIC
) -> ParagraphLocation:
    """Where a paragraph (or the text that corrected it) stands now: its row number."""
    with database.reader() as session:
        document = store.document_by_slug(session, slug, statuses)
        alignment = store.current_alignment(session, document.id)
        rows = {}
        for number, bead in enumerate(store.beads_of(session, alignment.id, "paragraph"), 1):
            for pid in (*bead.source_ids, *bead.target_ids):
                rows[pid] = number
        current, changed, seen = paragraph_id, False, set()
        while current not in rows:
            if current in seen:
                break
            seen.add(current)
            successor = stored_history.successor_paragraph(session, document.id, current)
            if successor is None:
                break
            current, changed = successor, True
        if current not in rows:
            raise NotFound("Paragraph not found")
        return ParagraphLocation(rows[current], changed)
