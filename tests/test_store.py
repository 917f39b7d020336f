"""The store on a real SQLite file: pragmas, migrations, append-only revisions."""

import pytest
from sqlalchemy import inspect, select

from bitext.core.metadata import parse_metadata
from bitext.core.text.segment import segment_text
from bitext.store import documents as store
from bitext.store.migrate import is_current
from bitext.store.schema import Revision, Segment

META = {"slug": "doc", "title_original": "原文", "title_translation": "Original",
        "language_original": "zh-Hans", "language_translation": "en"}


def test_sqlite_pragmas_are_enforced(library):
    assert library.pragmas() == {
        "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000,
    }


def test_migration_from_empty_creates_every_table(library):
    assert is_current(library)
    tables = set(inspect(library.engine).get_table_names())
    assert {"documents", "revisions", "segments", "revision_paragraphs", "alignments",
            "beads", "tags", "document_tags", "document_authors", "embeddings",
            "alembic_version"} <= tables


def test_failed_transaction_leaves_nothing(library):
    meta = parse_metadata(META)
    with pytest.raises(RuntimeError, match="crash"), library.transaction() as session:
        store.insert_document(session, meta)
        raise RuntimeError("crash in the middle of a write")
    with library.reader() as session:
        assert store.count_documents(session) == 0


def test_new_revision_keeps_ids_of_unchanged_paragraphs(library):
    first = segment_text("第一段。\n第二段。\n第三段。", "zh-Hans")
    second = segment_text("第一段。\n第二段，改过了。\n新的一段。\n第三段。", "zh-Hans")
    with library.transaction() as session:
        document = store.insert_document(session, parse_metadata(META))
        rev1, ids1, sentences1 = store.add_revision(session, document, "original", first)
        rev2, ids2, sentences2 = store.add_revision(
            session, document, "original", second, note="fix paragraph 2"
        )
    assert (rev1.number, rev2.number) == (1, 2)
    assert ids2[0] == ids1[0] and ids2[3] == ids1[2]
    assert ids2[1] not in ids1 and ids2[2] not in ids1
    assert sentences2[0] == sentences1[0]
    with library.reader() as session:
        texts = [s.text for s in store.revision_paragraphs(session, rev1.id)]
        assert texts == ["第一段。", "第二段。", "第三段。"]  # the old revision is intact
        assert session.scalar(select(Revision.note).where(Revision.id == rev2.id)) == (
            "fix paragraph 2"
        )
        assert len(session.scalars(select(Segment).where(Segment.kind == "paragraph")).all()) == 5
