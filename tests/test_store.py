"""The store on a real SQLite file: pragmas, migrations, append-only revisions."""

import pytest
from sqlalchemy import inspect, select
from sqlalchemy import text as sa_text

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


def test_the_search_index_is_written_in_batches_without_losing_a_sentence(
        library, monkeypatch):
    """A document's sentences are tokenized and stored a batch at a time (memory bounded by
    the batch); every sentence still gets exactly one index row, the last batch's too."""
    from bitext.services.library import add_document
    from bitext.services.search import search
    from bitext.store import search_index

    monkeypatch.setattr(search_index, "INDEX_BATCH", 3)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
    add_document(
        library,
        {"slug": "batched", "title_original": "批", "title_translation": "Batched",
         "language_original": "zh-Hans", "language_translation": "en", "status": "published"},
        "\n\n".join(f"第{n}句。" for n in range(1, 8)),
        "\n\n".join(f"Sentence {word}." for word in words),
    )
    with library.transaction() as session:
        indexed = session.scalar(sa_text("SELECT count(*) FROM segment_tokens"))
    assert indexed == 14  # 7 sentences a side, in three batches each, each sentence once
    for word in words:
        assert search(library, word).total == 1, word
