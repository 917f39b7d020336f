"""The embedding cache in the library: re-aligning unchanged text embeds nothing new."""

import os
import tempfile
import weakref
from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bitext.store.database import Database
from bitext.store.schema import Embedding

_BATCH = 500  # keeps each IN (...) well under SQLite's variable limit
_IN_MEMORY_BYTES = 16 * 1024 * 1024  # vectors waiting beyond this go to a temporary file


class DatabaseEmbeddingCache:
    """Vectors stored as float32 bytes in the ``embeddings`` table.

    New vectors wait until :meth:`write_pending` stores them inside the caller's
    transaction, so a refused import leaves the library byte-for-byte unchanged. They wait
    in a temporary file, not in memory: a 4 MB document brings half a million of them (a
    gigabyte), and only their keys stay in memory.
    """

    def __init__(self, database: Database):
        self.database = database
        self._waiting: dict[str, dict[str, tuple[int, int]]] = {}  # model -> hash -> place
        self._file: tempfile.SpooledTemporaryFile[bytes] | None = None

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
        """Keep the vectors not kept yet until :meth:`write_pending`."""
        table = self._waiting.setdefault(model, {})
        new = [h for h in vectors if h not in table]
        if not new:
            return
        if self._file is None:
            # open until write_pending, or until this cache goes (an import that failed)
            self._file = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_BYTES)  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        self._file.seek(0, os.SEEK_END)
        for text_hash in new:
            data = np.asarray(vectors[text_hash], dtype=np.float32).tobytes()
            table[text_hash] = (self._file.tell(), len(data))
            self._file.write(data)

    def write_pending(self, session: Session) -> None:
        """Store the vectors gathered so far, in ``session``'s transaction, a batch of rows
        per statement (a long document brings a few hundred thousand)."""
        try:
            for model, table in self._waiting.items():
                present = _present(session, model, list(table))
                new = [h for h in table if h not in present]
                for start in range(0, len(new), _BATCH):
                    session.execute(insert(Embedding), [
                        {"model": model, "text_hash": text_hash,
                         "vector": self._read(*table[text_hash])}
                        for text_hash in new[start:start + _BATCH]
                    ])
        finally:
            self._waiting = {}
            if self._file is not None:
                self._file.close()
                self._file = None

    def _read(self, offset: int, size: int) -> bytes:
        assert self._file is not None
        self._file.seek(offset)
        return self._file.read(size)


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
