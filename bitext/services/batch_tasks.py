"""What a Dask worker runs for one pair of a batch: segment, embed, align; never store.

The client reads, checks and hashes the files, then sends their text here; the worker
sends back plain data (beads, or segmented paragraphs and their alignment) for the one
writer to store. This module imports only ``core`` (an import-linter contract keeps it
so): a worker needs neither the database nor the web, and on a real cluster it has
neither.

A refusal of the input (a ``BitextError``: an empty side, a too-long paragraph) comes
back as a :class:`PairFailure`, so one broken pair is reported and the batch goes on.
"""

import resource
from dataclasses import dataclass

from bitext.core.align import Aligner, DocumentAlignment, align_document
from bitext.core.align.base import EngineRecord, engine_record
from bitext.core.align.cache import InMemoryEmbeddingCache
from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import make_aligner
from bitext.core.text.segment import Paragraph, segment_side
from bitext.errors import BitextError, InputError
from bitext.services.line_alignment import Level, OutputFormat, align_lines, render_beads

TASK_CACHE_MAX_ENTRIES = 50_000
"""Vectors one task keeps (about 2 KB each): enough for one long document's spans."""


@dataclass(frozen=True)
class PairFailure:
    """A pair that could not be aligned or stored, and why (one line)."""

    name: str
    message: str


@dataclass(frozen=True)
class LinePairJob:
    """``bitext align --batch``: two texts of one unit a line."""

    name: str
    key: str  # the content hash: the same inputs and options give the same key
    source_text: str
    target_text: str
    source_language: str
    target_language: str
    level: Level
    output_format: OutputFormat


@dataclass(frozen=True)
class AlignedLines:
    name: str
    key: str
    rendered: str  # the beads in the job's output format
    beads: int
    sentences: int  # units aligned, both sides


@dataclass(frozen=True)
class DocumentPairJob:
    """``bitext add --batch``: a document and its translation, as ``bitext add`` takes them."""

    name: str
    key: str
    original_text: str
    translation_text: str
    language_original: str
    language_translation: str
    max_paragraph_chars: int
    max_sentence_chars: int


@dataclass(frozen=True)
class AlignedDocumentPair:
    name: str
    key: str
    original: list[Paragraph]
    translation: list[Paragraph]
    alignment: DocumentAlignment
    method: str
    sentences: int  # both sides
    engine: EngineRecord | None = None


def align_line_pair(job: LinePairJob) -> AlignedLines | PairFailure:
    try:
        source, target = job.source_text.splitlines(), job.target_text.splitlines()
        if not any(line.strip() for line in source):
            raise InputError("the source file has no text")
        if not any(line.strip() for line in target):
            raise InputError("the target file has no text")
        beads = align_lines(_aligner(job.source_language, job.target_language),
                            source, target, job.level)
    except BitextError as error:
        return PairFailure(job.name, error.message)
    units = sum(len(b.source) + len(b.target) for b in beads)
    rendered = render_beads(beads, source, target, job.output_format,
                            (job.source_language, job.target_language))
    return AlignedLines(job.name, job.key, rendered, len(beads), units)


def align_document_pair(job: DocumentPairJob) -> AlignedDocumentPair | PairFailure:
    try:
        original = _segmented(job.original_text, job.language_original, "original", job)
        translation = _segmented(job.translation_text, job.language_translation,
                                 "translation", job)
        aligner = _aligner(job.language_original, job.language_translation)
        alignment = align_document([p.sentences for p in original],
                                   [p.sentences for p in translation], aligner)
    except BitextError as error:
        return PairFailure(job.name, error.message)
    sentences = sum(len(p.sentences) for p in original) + sum(
        len(p.sentences) for p in translation)
    return AlignedDocumentPair(job.name, job.key, original, translation, alignment, aligner.name,
                               sentences, engine_record(aligner))


def peak_memory_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _aligner(source_language: str, target_language: str) -> Aligner:
    """A fresh aligner per task (tasks may share a worker's threads); the encoder's
    weights load once per worker process. One encoder thread: the cluster's workers
    are the parallelism."""
    return make_aligner(source_language, target_language, encoder=USEEncoder(threads=1),
                        cache=InMemoryEmbeddingCache(max_entries=TASK_CACHE_MAX_ENTRIES))


def _segmented(text: str, language: str, side: str, job: DocumentPairJob) -> list[Paragraph]:
    return segment_side(text, language, side, max_paragraph_chars=job.max_paragraph_chars,
                        max_sentence_chars=job.max_sentence_chars)
