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


def test_waiting_vectors_beyond_memory_are_written_back_exactly(tmp_path):
    """9,000 vectors of 512 floats (18 MB) wait in a temporary file, not in memory; each
    comes back as given, whatever its model's dimension, the first of two kept."""
    rng = np.random.default_rng(5)
    big = {f"b{i}": rng.standard_normal(512).astype(np.float32) for i in range(9000)}
    small = {f"s{i}": rng.standard_normal(3).astype(np.float32) for i in range(50)}
    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    cache = DatabaseEmbeddingCache(database)
    cache.put_many("model-a", dict(list(big.items())[:5000]))
    cache.put_many("model-b", small)
    cache.put_many("model-a", {**big, "b0": np.zeros(512, dtype=np.float32)})
    with database.transaction() as session:
        cache.write_pending(session)
    found = cache.get_many("model-a", list(big))
    assert len(found) == len(big)
    assert all(np.array_equal(found[h], big[h]) for h in big)
    found_small = cache.get_many("model-b", list(small))
    assert all(np.array_equal(found_small[h], small[h]) for h in small)
    database.dispose()
