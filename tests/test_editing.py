"""Corrections through the services: revisions, conflicts, alignment edits, history."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import make_aligner
from bitext.errors import Conflict, InputError, NotFound
from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.history import corrections, diff_revisions, history, locate_paragraph
from bitext.services.library import add_document
from bitext.services.reading import get_document
from bitext.store.schema import AuditEntry, Revision

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}
ZH = "第一条。人人生而自由。\n第二条。人人平等。\n第三条。人人有权利。\n"
EN = ("Article 1. All are born free.\nArticle 2. All are equal.\n"
      "Article 3. Everyone has rights.\n")


@pytest.fixture
def doc(library):
    add_document(library, META, ZH, EN)
    return library


@pytest.fixture
def editor(library):
    return add_user(library, "editor1", "correct horse battery", "editor")


def _paragraph(view, row, side="translation"):
    return getattr(view.rows[row], side)[0]


def test_edit_paragraph_adds_revision_and_keeps_other_ids(doc, editor):
    before = get_document(doc, "doc")
    target = _paragraph(before, 1)
    saved = editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1,
                                   "Article 2. All are equal before the law.", "typo")
    after = get_document(doc, "doc")
    assert saved.revision == 2
    assert _paragraph(after, 0).id == _paragraph(before, 0).id
    assert _paragraph(after, 2).id == _paragraph(before, 2).id
    assert _paragraph(after, 1).id == saved.paragraph_id != target.id
    assert [s.text for s in _paragraph(after, 1).sentences] == [
        "Article 2.", "All are equal before the law."]
    # every sentence of the edited paragraph is linked to a counterpart again
    assert all(s.bead is not None for s in _paragraph(after, 1).sentences)
    location = locate_paragraph(doc, "doc", target.id)
    assert (location.row, location.changed) == (2, True)
    assert locate_paragraph(doc, "doc", _paragraph(before, 0).id).changed is False
    assert [c.note for c in corrections(doc, "doc")] == ["typo"]
    with doc.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "paragraph.edit")) == 1


def test_second_save_on_the_same_revision_conflicts_and_keeps_both_texts(doc, editor):
    target = _paragraph(get_document(doc, "doc"), 1)
    editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1, "First wins.", "a")
    with pytest.raises(editing.EditConflict) as conflict:
        editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1, "Mine.", "b")
    assert conflict.value.your_text == "Mine."
    assert conflict.value.current_revision == 2
    assert _paragraph(get_document(doc, "doc"), 1).sentences[0].text == "First wins."


def test_concurrent_saves_exactly_one_wins(doc, editor):
    target = _paragraph(get_document(doc, "doc"), 1)
    barrier = threading.Barrier(10)
    outcomes = []

    def save(k):
        barrier.wait()
        try:
            editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1,
                                   f"Version {k}.", "race")
            outcomes.append(("won", k))
        except Conflict:
            outcomes.append(("lost", k))

    threads = [threading.Thread(target=save, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [k for result, k in outcomes if result == "won"]
    assert len(outcomes) == 10 and len(winners) == 1
    assert _paragraph(get_document(doc, "doc"), 1).sentences[0].text == f"Version {winners[0]}."
    with doc.reader() as session:
        assert session.scalar(select(func.max(Revision.number))) == 2


def test_diff_marks_changed_characters(doc, editor):
    target = _paragraph(get_document(doc, "doc"), 1)
    editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1,
                           "Article 2. All are equal.  Really.", "add")
    rows = diff_revisions(doc, "doc", "translation", 1, 2)
    assert [r.tag for r in rows] == ["equal", "replace", "equal"]
    assert any(p.changed and "Really" in p.text for p in rows[1].new)


def test_alignment_merge_split_move_confirm(doc, editor):
    view = get_document(doc, "doc")
    base = _alignment_id(doc)
    merged = editing.edit_alignment(doc, editor, "doc", base, "paragraph", 0, "merge")
    view = get_document(doc, "doc")
    assert len(view.rows) == 2 and len(view.rows[0].original) == 2
    split = editing.edit_alignment(doc, editor, "doc", merged, "paragraph", 0, "split",
                                   source_count=1, target_count=1)
    view = get_document(doc, "doc")
    assert len(view.rows) == 3 and all(len(r.original) == 1 for r in view.rows)
    moved = editing.edit_alignment(doc, editor, "doc", split, "paragraph", 0, "move-forward",
                                   side="translation")
    view = get_document(doc, "doc")
    assert [len(r.translation) for r in view.rows] == [0, 2, 1]
    confirmed = editing.edit_alignment(doc, editor, "doc", moved, "paragraph", 1, "confirm")
    assert get_document(doc, "doc").paragraph_beads[1].confirmed
    with pytest.raises(Conflict):
        editing.edit_alignment(doc, editor, "doc", moved, "paragraph", 0, "merge")
    with pytest.raises(InputError, match="different paragraph rows"):
        sentence_bead_of_row0 = len(view.rows[0].original[0].sentences) - 1
        editing.edit_alignment(doc, editor, "doc", confirmed, "sentence",
                               sentence_bead_of_row0, "merge")
    assert [c.kind for c in history(doc, "doc")].count("alignment") == 5


def test_metadata_edit_versioned_and_conflicting(doc, editor):
    version = editing.edit_metadata(doc, editor, "doc", 0,
                                    {"summary": "Now with a summary.", "tags": ["rights"]},
                                    "add summary")
    assert version == 1
    view = get_document(doc, "doc")
    assert view.meta.summary == "Now with a summary." and view.meta.tags == ["rights"]
    with pytest.raises(Conflict):
        editing.edit_metadata(doc, editor, "doc", 0, {"summary": "x"}, "stale")
    with pytest.raises(InputError, match="field 'date'"):
        editing.edit_metadata(doc, editor, "doc", 1, {"date": "yesterday"}, "bad")


def test_status_changes_and_withdrawn_documents_are_read_only(doc, editor):
    editing.change_status(doc, editor, "doc", "withdrawn")
    with pytest.raises(NotFound):
        get_document(doc, "doc")
    with pytest.raises(editing.DocumentWithdrawn, match="withdrawn") as refused:
        editing.edit_metadata(doc, editor, "doc", 0, {"summary": "x"}, "note")
    assert not isinstance(refused.value, InputError)  # no form is re-shown for it
    with pytest.raises(InputError, match="cannot become draft"):
        editing.change_status(doc, editor, "doc", "draft")
    editing.change_status(doc, editor, "doc", "published")
    assert get_document(doc, "doc").meta.status == "published"


def test_a_note_is_required(doc, editor):
    target = _paragraph(get_document(doc, "doc"), 1)
    with pytest.raises(InputError, match="note"):
        editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1, "New.", "  ")


def _alignment_id(database):
    from bitext.store.documents import latest_alignment
    from bitext.store.schema import Document

    with database.reader() as session:
        document = session.scalar(select(Document).where(Document.slug == "doc"))
        return latest_alignment(session, document.id).id


def test_a_correction_is_searchable_at_once_and_the_old_text_is_not(doc, editor):
    from bitext.services.search import search

    target = _paragraph(get_document(doc, "doc"), 1)
    editing.edit_paragraph(doc, editor, "doc", "translation", target.id, 1,
                           "Article 2. All are equivalent.", "wording")
    assert search(doc, "equivalent").total == 1
    assert search(doc, "equal").total == 0


class _LockProbingEncoder:
    """Hashing vectors; on each call, first checks that another connection can take the
    library's write lock at once (timeout 0), as any other writer must while we align."""

    def __init__(self, path, before_encoding=None):
        self.inner = HashingEncoder(dimensions=64)
        self.name = self.inner.name
        self.path = path
        self.before_encoding = before_encoding
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        if self.before_encoding is not None and self.calls == 1:
            self.before_encoding()
        other = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()
        return self.inner.encode(texts)


def test_a_correction_aligns_without_holding_the_write_lock(doc, editor):
    encoder = _LockProbingEncoder(doc.url.database)
    target = _paragraph(get_document(doc, "doc"), 1)
    saved = editing.edit_paragraph(
        doc, editor, "doc", "translation", target.id, 1,
        "Article 2. All are equal before the law.", "typo",
        aligner=make_aligner("zh-Hans", "en", encoder=encoder),
    )
    assert encoder.calls > 0
    edited = _paragraph(get_document(doc, "doc"), 1)
    assert (saved.revision, edited.id) == (2, saved.paragraph_id)
    assert all(s.bead is not None for s in edited.sentences)


def test_a_correction_realigns_when_the_other_side_changes_while_it_aligns(doc, editor):
    before = get_document(doc, "doc")
    original = _paragraph(before, 1, "original")

    def correct_the_original():
        editing.edit_paragraph(doc, editor, "doc", "original", original.id, 1,
                               "第二条。人人在法律面前平等。", "other editor",
                               aligner=make_aligner("zh-Hans", "en", encoder=HashingEncoder()))

    encoder = _LockProbingEncoder(doc.url.database, before_encoding=correct_the_original)
    editing.edit_paragraph(
        doc, editor, "doc", "translation", _paragraph(before, 1).id, 1,
        "Article 2. All are equal before the law.", "typo",
        aligner=make_aligner("zh-Hans", "en", encoder=encoder),
    )
    after = get_document(doc, "doc")
    assert after.revisions == {"original": 2, "translation": 2}
    assert [s.text for s in _paragraph(after, 1, "original").sentences] == [
        "第二条。", "人人在法律面前平等。"]
    # the translation's sentences are linked to the corrected original's, not the old ones
    original_beads = {s.bead for s in _paragraph(after, 1, "original").sentences}
    translation_beads = {s.bead for s in _paragraph(after, 1).sentences}
    assert None not in original_beads | translation_beads
    assert original_beads == translation_beads
    with doc.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "paragraph.edit")) == 2


def test_an_alignment_edit_aligns_without_holding_the_write_lock(doc, editor):
    encoder = _LockProbingEncoder(doc.url.database)
    # row 0's translation moves into row 1: both rows' sentences are aligned again
    moved = editing.edit_alignment(
        doc, editor, "doc", _alignment_id(doc), "paragraph", 0, "move-forward",
        side="translation", aligner=make_aligner("zh-Hans", "en", encoder=encoder),
    )
    assert encoder.calls > 0
    assert moved == _alignment_id(doc)
    view = get_document(doc, "doc")
    assert [len(r.translation) for r in view.rows] == [0, 2, 1]
    row1 = view.rows[1]
    assert all(s.bead is not None for p in (*row1.original, *row1.translation)
               for s in p.sentences)
    with doc.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "alignment.move-forward")) == 1


def test_an_alignment_edit_conflicts_when_the_text_changes_while_it_aligns(doc, editor):
    before = get_document(doc, "doc")
    base = _alignment_id(doc)

    def correct_the_translation():
        editing.edit_paragraph(doc, editor, "doc", "translation", _paragraph(before, 1).id, 1,
                               "Article 2. All are equal before the law.", "other editor",
                               aligner=make_aligner("zh-Hans", "en", encoder=HashingEncoder()))

    encoder = _LockProbingEncoder(doc.url.database, before_encoding=correct_the_translation)
    with pytest.raises(Conflict):
        editing.edit_alignment(
            doc, editor, "doc", base, "paragraph", 0, "move-forward", side="translation",
            aligner=make_aligner("zh-Hans", "en", encoder=encoder),
        )
    assert [len(r.translation) for r in get_document(doc, "doc").rows] == [1, 1, 1]
