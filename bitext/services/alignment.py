"""Choosing and running the aligner for a document (the engine behind the interface)."""

from collections.abc import Callable

from bitext.core.align import Aligner, DocumentAlignment, align_document
from bitext.core.align.cache import InMemoryEmbeddingCache, LayeredEmbeddingCache
from bitext.core.align.engine import make_aligner
from bitext.core.text.segment import Paragraph
from bitext.store.embedding_cache import DatabaseEmbeddingCache

# Vectors computed in this process, shared by every library it opens: about 40 MB at
# 512 float32 dimensions, a few windows of a long document's alignment (what the next
# window reads again), or many edits' worth.
_PROCESS_CACHE = InMemoryEmbeddingCache(max_entries=20_000)


Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a long import goes: the CLI draws it as a progress bar."""


def default_aligner(
    source_language: str, target_language: str,
    library_cache: DatabaseEmbeddingCache | None = None, progress: Progress | None = None,
) -> Aligner:
    """The aligner new documents get. With the library's cache, re-aligning unchanged text
    embeds nothing; the caller stores its new vectors with ``write_pending``."""
    cache = (
        LayeredEmbeddingCache(_PROCESS_CACHE, library_cache)
        if library_cache is not None
        else _PROCESS_CACHE
    )
    told = None if progress is None else (
        lambda done, total: progress("aligning paragraphs", done, total))
    return make_aligner(source_language, target_language, cache=cache, progress=told)


def align_paragraphs(
    original: list[Paragraph], translation: list[Paragraph], aligner: Aligner,
    progress: Progress | None = None,
) -> DocumentAlignment:
    told = None if progress is None else (
        lambda done, total: progress("aligning sentences", done, total))
    return align_document(
        [p.sentences for p in original], [p.sentences for p in translation], aligner,
        progress=told,
    )
