"""The library's embedding cache keeps vectors across connections."""

import numpy as np

from bitext.services.library import open_library
from bitext.store.embedding_cache import DatabaseEmbeddingCache


def test_vectors_survive_reopening_and_are_not_duplicated(tmp_path):
    url = f"sqlite:///{tmp_path / 'library.db'}"
    vectors = {f"h{i}": np.arange(4, dtype=np.float32) + i for i in range(700)}
    database = open_library(url)
    cache = DatabaseEmbeddingCache(database)
    cache.put_many("model-a", vectors)
    cache.put_many("model-a", {"h1": np.zeros(4, dtype=np.float32)})  # already there: kept
    database.dispose()

    database = open_library(url)
    cache = DatabaseEmbeddingCache(database)
    found = cache.get_many("model-a", [*vectors, "unknown"])
    assert set(found) == set(vectors)
    np.testing.assert_array_equal(found["h1"], vectors["h1"])
    assert cache.get_many("model-b", ["h1"]) == {}
    database.dispose()
