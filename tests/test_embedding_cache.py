"""The library's embedding cache keeps vectors across connections, written only inside
the caller's transaction."""

import numpy as np

from bitext.services.library import add_document, open_library
from bitext.store.embedding_cache import DatabaseEmbeddingCache
from bitext.store.schema import Embedding

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en"}


def test_vectors_survive_reopening_and_are_not_duplicated(tmp_path):
    url = f"sqlite:///{tmp_path / 'library.db'}"
    vectors = {f"h{i}": np.arange(4, dtype=np.float32) + i for i in range(700)}
    database = open_library(url)
    cache = DatabaseEmbeddingCache(database)
    cache.put_many("model-a", vectors)
    assert cache.get_many("model-a", ["h1"]) == {}  # nothing written outside a transaction
    with database.transaction() as session:
        cache.write_pending(session)
    cache.put_many("model-a", {"h1": np.zeros(4, dtype=np.float32)})  # already there: kept
    with database.transaction() as session:
        cache.write_pending(session)
    database.dispose()

    database = open_library(url)
    cache = DatabaseEmbeddingCache(database)
    found = cache.get_many("model-a", [*vectors, "unknown"])
    assert set(found) == set(vectors)
    np.testing.assert_array_equal(found["h1"], vectors["h1"])
    assert cache.get_many("model-b", ["h1"]) == {}
    database.dispose()


def test_an_import_stores_the_vectors_it_computed(library):
    add_document(library, META, "人人生而自由。\n人人平等。", "All are born free.\nAll are equal.")
    with library.reader() as session:
        assert session.query(Embedding).count() >= 4
