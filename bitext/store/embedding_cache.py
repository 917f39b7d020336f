"""The embedding cache in the library: re-aligning unchanged text embeds nothing new."""

from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bitext.store.database import Database
from bitext.store.schema import Embedding

_BATCH = 500  # keeps each IN (...) well under SQLite's variable limit


class DatabaseEmbeddingCache:
    """Vectors stored as float32 bytes in the ``embeddings`` table.

    New vectors wait in memory until :meth:`write_pending` stores them inside the caller's
    transaction, so a refused import leaves the library byte-for-byte unchanged.
    """

    def __init__(self, database: Database):
        self.database = database
        self.pending: dict[str, dict[str, np.ndarray]] = {}

    def get_many(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self.database.reader() as session:
            for start in range(0, len(wanted), _BATCH):
                rows = session.execute(
                    select(Embedding.text_hash, Embedding.vector).where(
                        Embedding.model == model,
                        Embedding.text_hash.in_(wanted[start : start + _BATCH]),
                    )
                )
                for text_hash, vector in rows:
                    found[text_hash] = np.frombuffer(vector, dtype=np.float32)
        return found

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.pending.setdefault(model, {}).update(vectors)

    def write_pending(self, session: Session) -> None:
        """Store the vectors gathered so far, in ``session``'s transaction, a batch of rows
        per statement (a long document brings a few hundred thousand)."""
        for model, vectors in self.pending.items():
            present = _present(session, model, list(vectors))
            new = [h for h in vectors if h not in present]
            for start in range(0, len(new), _BATCH):
                session.execute(insert(Embedding), [
                    {"model": model, "text_hash": text_hash,
                     "vector": np.asarray(vectors[text_hash], dtype=np.float32).tobytes()}
                    for text_hash in new[start:start + _BATCH]
                ])
        self.pending = {}


def _present(session, model: str, hashes: list[str]) -> set[str]:
    present: set[str] = set()
    for start in range(0, len(hashes), _BATCH):
        present.update(
            session.scalars(
                select(Embedding.text_hash).where(
                    Embedding.model == model,
                    Embedding.text_hash.in_(hashes[start : start + _BATCH]),
                )
            )
        )
    return present
