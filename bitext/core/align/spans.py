"""Vectors of runs of consecutive sentences ("spans"), embedded only when asked.

A span of one sentence is that sentence's vector. A longer span has a stand-in until it
is embedded: the normalised sum of its sentences' vectors, from a running sum, so it costs
nothing to store. ``embed`` replaces stand-ins with real embeddings of the joined text;
the search embeds only the spans it finds worth a closer look.
"""

from collections.abc import Iterable, Sequence

import numpy as np

from bitext.core.align.cache import CachedEmbedder


class SpanVectors:
    def __init__(
        self, texts: Sequence[str], joiner: str, singles: np.ndarray, embedder: CachedEmbedder
    ):
        self.texts = texts
        self.joiner = joiner
        self.singles = singles
        self.embedder = embedder
        self._running = np.zeros((len(texts) + 1, singles.shape[1]), dtype=np.float64)
        np.cumsum(singles, axis=0, out=self._running[1:])
        self._row: dict[tuple[int, int], int] = {}  # (length, end) -> row of _real
        self._index: dict[int, np.ndarray] = {}  # length -> row of _real by end, or -1
        self._real = np.zeros((16, singles.shape[1]), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def embedded(self) -> int:
        return len(self._row)

    def has(self, length: int, end: int) -> bool:
        return length == 1 or (length, end) in self._row

    def stand_in(self, length: int, ends: np.ndarray) -> np.ndarray:
        """Which of the spans texts[end-length:end] have no real embedding yet."""
        if length == 1:
            return np.zeros(ends.size, dtype=bool)
        index = self._index.get(length)
        return np.ones(ends.size, dtype=bool) if index is None else index[ends] < 0

    def get(self, length: int, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of the spans texts[end-length:end], one row per end (all >= length),
        and which rows are stand-ins rather than real embeddings."""
        if length == 1:
            return self.singles[ends - 1], np.zeros(ends.size, dtype=bool)
        summed = (self._running[ends] - self._running[ends - length]).astype(np.float32)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        vectors = summed / np.where(norms > 0, norms, 1.0)
        stand_in = np.ones(ends.size, dtype=bool)
        index = self._index.get(length)
        if index is not None:
            rows = index[ends]
            have = rows >= 0
            if have.any():
                vectors[have] = self._real[rows[have]]
                stand_in &= ~have
        return vectors, stand_in

    def embed(self, spans: Iterable[tuple[int, int]]) -> int:
        """Embed the (length, end) spans not embedded yet; returns how many were new."""
        wanted = sorted({(a, e) for a, e in spans if a > 1 and (a, e) not in self._row})
        if not wanted:
            return 0
        texts = [self.joiner.join(self.texts[e - a:e]) for a, e in wanted]
        vectors = self.embedder.embed(texts)
        start = len(self._row)
        needed = start + len(wanted)
        if needed > len(self._real):
            grown = np.zeros((max(needed, 2 * len(self._real)), self._real.shape[1]),
                             dtype=np.float32)
            grown[:start] = self._real[:start]
            self._real = grown
        self._real[start:needed] = vectors
        for offset, (length, end) in enumerate(wanted):
            self._row[(length, end)] = start + offset
            index = self._index.setdefault(length, np.full(len(self.texts) + 1, -1, np.int64))
            index[end] = start + offset
        return len(wanted)
