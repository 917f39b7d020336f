"""The aligner interface and the two-level (paragraph, then sentence) procedure.

An aligner pairs two lists of strings; indices are 0-based positions in those lists.
Every index of both lists appears in exactly one bead, in order (monotone alignment).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Bead:
    """One alignment unit: source and target positions (either may be empty), a score."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float = 0.0


class Aligner(Protocol):
    """Anything that aligns two lists of text units monotonically. One may also say what
    it is beyond its name, as a ``record`` property (see ``engine_record``)."""

    @property
    def name(self) -> str: ...  # read-only: a plain attribute or a property

    def align(self, source: Sequence[str], target: Sequence[str]) -> list[Bead]: ...


@dataclass(frozen=True)
class EngineRecord:
    """What made an alignment, kept with it: the engine, its version, the signals it used
    with their weights, and the settings that weigh them against the rest."""

    engine: str
    version: str = ""
    signals: Mapping[str, float] = field(default_factory=dict)
    settings: Mapping[str, str | float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"engine": self.engine, "version": self.version,
                "signals": dict(self.signals), "settings": dict(self.settings)}


def engine_record(aligner: Aligner) -> EngineRecord:
    """What to store about ``aligner``: its own record, else its name alone (an aligner
    of someone else's making need not describe itself)."""
    record = getattr(aligner, "record", None)
    return record if isinstance(record, EngineRecord) else EngineRecord(aligner.name)


@dataclass(frozen=True)
class DocumentAlignment:
    """Paragraph beads over paragraph indices; sentence beads over document-wide
    sentence indices (sentences numbered across paragraphs in reading order)."""

    paragraphs: list[Bead]
    sentences: list[Bead]


def align_document(
    source: Sequence[Sequence[str]],
    target: Sequence[Sequence[str]],
    paragraph_aligner: Aligner,
    sentence_aligner: Aligner | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentAlignment:
    """Align paragraphs, then the sentences inside each paragraph bead.

    ``source`` and ``target`` are paragraphs given as lists of their sentences. A bead whose
    paragraphs are single sentences is its own sentence bead: those sentences are the
    paragraphs just aligned, in their whole document's context. ``progress(done, total)``
    hears of the sentence step, in paragraph beads.
    """
    sentence_aligner = sentence_aligner or paragraph_aligner
    paragraph_beads = paragraph_aligner.align(
        [" ".join(p) for p in source], [" ".join(p) for p in target]
    )
    source_offsets = _offsets(source)
    target_offsets = _offsets(target)
    sentence_beads: list[Bead] = []
    for done, bead in enumerate(paragraph_beads, 1):
        if progress is not None and (done % 500 == 0 or done == len(paragraph_beads)):
            progress(done, len(paragraph_beads))
        src_ids = [source_offsets[p] + i for p in bead.source for i in range(len(source[p]))]
        tgt_ids = [target_offsets[p] + i for p in bead.target for i in range(len(target[p]))]
        src_texts = [s for p in bead.source for s in source[p]]
        tgt_texts = [s for p in bead.target for s in target[p]]
        if not src_texts or not tgt_texts:
            sentence_beads.extend(Bead((i,), (), 0.0) for i in src_ids)
            sentence_beads.extend(Bead((), (j,), 0.0) for j in tgt_ids)
            continue
        if len(src_texts) == len(bead.source) and len(tgt_texts) == len(bead.target):
            sentence_beads.append(Bead(tuple(src_ids), tuple(tgt_ids), bead.score))
            continue
        for inner in sentence_aligner.align(src_texts, tgt_texts):
            sentence_beads.append(
                Bead(
                    tuple(src_ids[i] for i in inner.source),
                    tuple(tgt_ids[j] for j in inner.target),
                    inner.score,
                )
            )
    return DocumentAlignment(paragraph_beads, sentence_beads)


def _offsets(paragraphs: Sequence[Sequence[str]]) -> list[int]:
    offsets, total = [], 0
    for sentences in paragraphs:
        offsets.append(total)
        total += len(sentences)
    return offsets
