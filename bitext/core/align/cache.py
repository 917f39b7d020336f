"""Embedding cache keyed by (model name, text hash), so unchanged text is embedded once.

The protocol is what the aligner needs; the in-memory store serves one process, and a
database-backed store (in ``store``) can serve a library across runs.
"""

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from bitext.core.align.encoders import Encoder, normalize_rows


class EmbeddingCache(Protocol):
    """Vectors by model name and text hash; unknown hashes are simply absent."""

    def get_many(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...


def text_hash(text: str) -> str:
    """A stable key for a text (lone surrogates allowed)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass
class InMemoryEmbeddingCache:
    """A dictionary per model; ``max_entries`` bounds it (oldest entries go first)."""

    max_entries: int = 1_000_000
    _vectors: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)

    def get_many(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        table = self._vectors.get(model, {})
        return {h: table[h] for h in hashes if h in table}

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        table = self._vectors.setdefault(model, {})
        table.update(vectors)
        while len(table) > self.max_entries:
            del table[next(iter(table))]

    def __len__(self) -> int:
        return sum(len(table) for table in self._vectors.values())


@dataclass
class LayeredEmbeddingCache:
    """A fast cache in front of a slow one (process memory before the library)."""

    near: EmbeddingCache
    far: EmbeddingCache

    def get_many(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Memory first; only its misses go to the slow cache. Vectors found in memory are
        offered to the slow cache too (it keeps what it lacks), so a library ends up
        holding every vector its texts need without a lookup per call."""
        wanted = list(hashes)
        found = self.near.get_many(model, wanted)
        if found:
            self.far.put_many(model, found)
        rest = [h for h in wanted if h not in found]
        if rest:
            fetched = self.far.get_many(model, rest)
            self.near.put_many(model, fetched)
            found.update(fetched)
        return found

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.near.put_many(model, vectors)
        self.far.put_many(model, vectors)


@dataclass
class CachedEmbedder:
    """Embeds through ``encoder``, asking ``cache`` first and filling it after.

    ``computed`` counts texts the encoder actually embedded and ``seconds`` the time it
    took (for tests and benchmarks).
    """

    encoder: Encoder
    cache: EmbeddingCache | None = None
    computed: int = 0
    seconds: float = 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text; each distinct text is embedded at most once."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [text_hash(t) for t in texts]
        unique: dict[str, str] = dict(zip(keys, texts, strict=True))
        found = self.cache.get_many(self.encoder.name, unique) if self.cache else {}
        missing = [k for k in unique if k not in found]
        if missing:
            start = time.perf_counter()
            vectors = normalize_rows(self.encoder.encode([unique[k] for k in missing]))
            self.seconds += time.perf_counter() - start
            self.computed += len(missing)
            fresh = dict(zip(missing, vectors, strict=True))
            if self.cache is not None:
                self.cache.put_many(self.encoder.name, fresh)
            found = {**found, **fresh}
        return np.stack([np.asarray(found[k], dtype=np.float32) for k in keys])
