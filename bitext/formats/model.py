"""The plain data every format reads and writes: a document's metadata and sentence beads.

Formats know nothing of the database: :func:`from_view` takes any object shaped like
``services.reading.DocumentView``; :func:`to_segments` turns an imported document back into
the paragraphs and beads the store takes.
"""

import math
from dataclasses import dataclass, field, replace

from bitext.core.align import Bead
from bitext.core.metadata import metadata_dict
from bitext.core.sides import SIDES
from bitext.core.text.normalize import dropped_controls, normalize_text
from bitext.core.text.segment import Paragraph
from bitext.errors import InputError


@dataclass(frozen=True)
class AlignedBead:
    """One sentence bead. Either side may be empty (an omission or an addition).

    ``source_paragraphs`` gives, per source sentence, the 0-based index of its paragraph
    (likewise for the target); ``row`` is the 1-based number of the paragraph bead (the
    ``#p{row}`` anchor). Formats without paragraphs leave them ``None``.
    """

    source: tuple[str, ...]
    target: tuple[str, ...]
    score: float = 0.0
    source_paragraphs: tuple[int, ...] | None = None
    target_paragraphs: tuple[int, ...] | None = None
    row: int | None = None
    row_score: float | None = None
    source_ids: tuple[int, ...] | None = field(default=None, compare=False)
    target_ids: tuple[int, ...] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class AlignedDocument:
    metadata: dict
    language_source: str
    language_target: str
    beads: list[AlignedBead]

    @property
    def slug(self) -> str:
        return str(self.metadata.get("slug") or "document")


def from_view(view) -> AlignedDocument:
    """An ``AlignedDocument`` from a ``DocumentView`` (sentence beads with paragraph info)."""
    where: dict[int, tuple[str, int, int, float]] = {}  # sentence id -> text, paragraph, row
    counters = dict.fromkeys(SIDES, 0)
    for row in view.rows:
        for side in SIDES:
            for paragraph in getattr(row, side):
                for sentence in paragraph.sentences:
                    where[sentence.id] = (sentence.text, counters[side], row.number, row.score)
                counters[side] += 1
    beads = []
    for bead in view.sentence_beads:
        source = [where[i] for i in bead.source]
        target = [where[j] for j in bead.target]
        first = (source or target)[0]
        beads.append(
            AlignedBead(
                source=tuple(s[0] for s in source),
                target=tuple(t[0] for t in target),
                score=float(bead.score),
                source_paragraphs=tuple(s[1] for s in source),
                target_paragraphs=tuple(t[1] for t in target),
                row=first[2],
                row_score=float(first[3]),
                source_ids=tuple(bead.source),
                target_ids=tuple(bead.target),
            )
        )
    meta = view.meta
    return AlignedDocument(
        metadata_dict(meta), meta.language_original, meta.language_translation, beads
    )


def joiner(language: str) -> str:
    """How sentences join into a paragraph: nothing between Chinese or Japanese sentences."""
    return "" if language.lower().split("-")[0] in ("zh", "ja") else " "


@dataclass(frozen=True)
class Segments:
    """What the store takes: paragraphs per side, paragraph beads, sentence beads
    (over document-wide sentence positions)."""

    source: list[Paragraph]
    target: list[Paragraph]
    paragraph_beads: list[Bead]
    sentence_beads: list[Bead]
    dropped_controls: int = 0  # control characters taken out of the file's text


def to_segments(document: AlignedDocument) -> Segments:
    """Paragraphs and beads as in the file, its text normalised as every import's is: kept
    paragraphs if every bead has paragraph info, else one paragraph per bead side."""
    if not document.beads:
        raise InputError("the file has no aligned segments")
    for bead in document.beads:
        if not math.isfinite(bead.score):
            raise InputError("a bead score is not a finite number")
        if not bead.source and not bead.target:
            raise InputError("a bead has neither source nor target sentences")
    for side, name in (("source", "original"), ("target", "translation")):
        if not any(getattr(bead, side) for bead in document.beads):
            raise InputError(f"the {name} side is empty")
    texts = [s for bead in document.beads for s in (*bead.source, *bead.target)]
    dropped = sum(dropped_controls(s) for s in texts)
    document = replace(document, beads=[
        replace(b, source=_normalized(b.source), target=_normalized(b.target))
        for b in document.beads
    ])
    if any(not s.strip() for bead in document.beads for s in (*bead.source, *bead.target)):
        raise InputError("a segment is empty")
    with_paragraphs = all(
        b.row is not None and b.source_paragraphs is not None and b.target_paragraphs is not None
        for b in document.beads
    )
    segments = (_kept_paragraphs(document) if with_paragraphs
                else _paragraph_per_bead(document))
    return replace(segments, dropped_controls=dropped)


def _normalized(sentences: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize_text(s) for s in sentences)


def _sentence_beads(beads: list[AlignedBead]) -> list[Bead]:
    out, i, j = [], 0, 0
    for bead in beads:
        out.append(
            Bead(tuple(range(i, i + len(bead.source))), tuple(range(j, j + len(bead.target))),
                 bead.score)
        )
        i += len(bead.source)
        j += len(bead.target)
    return out


def _paragraph_per_bead(document: AlignedDocument) -> Segments:
    source: list[Paragraph] = []
    target: list[Paragraph] = []
    paragraph_beads: list[Bead] = []
    js, jt = joiner(document.language_source), joiner(document.language_target)
    for bead in document.beads:
        src = tuple(range(len(source), len(source) + 1)) if bead.source else ()
        tgt = tuple(range(len(target), len(target) + 1)) if bead.target else ()
        if bead.source:
            source.append(Paragraph(js.join(bead.source), tuple(bead.source)))
        if bead.target:
            target.append(Paragraph(jt.join(bead.target), tuple(bead.target)))
        paragraph_beads.append(Bead(src, tgt, bead.score))
    return Segments(source, target, paragraph_beads, _sentence_beads(document.beads))


def _kept_paragraphs(document: AlignedDocument) -> Segments:
    sides = []
    for side, language in (("source", document.language_source),
                           ("target", document.language_target)):
        sentences: list[list[str]] = []
        for bead in document.beads:
            for text, index in zip(
                getattr(bead, side), getattr(bead, f"{side}_paragraphs"), strict=True
            ):
                if index == len(sentences):
                    sentences.append([])
                elif index != len(sentences) - 1:
                    raise InputError("paragraph numbers are not in reading order")
                sentences[-1].append(text)
        sides.append([Paragraph(joiner(language).join(s), tuple(s)) for s in sentences])
    rows: dict[int, tuple[set[int], set[int], float]] = {}
    for bead in document.beads:
        # to_segments sends here only documents whose every bead has paragraph info
        assert bead.row is not None
        assert bead.source_paragraphs is not None and bead.target_paragraphs is not None
        src, tgt, _ = rows.setdefault(
            bead.row, (set(), set(), bead.score if bead.row_score is None else bead.row_score)
        )
        src.update(bead.source_paragraphs)
        tgt.update(bead.target_paragraphs)
    paragraph_beads = [
        Bead(tuple(sorted(src)), tuple(sorted(tgt)), score)
        for _, (src, tgt, score) in sorted(rows.items())
    ]
    covered_s = [i for b in paragraph_beads for i in b.source]
    covered_t = [j for b in paragraph_beads for j in b.target]
    if covered_s != list(range(len(sides[0]))) or covered_t != list(range(len(sides[1]))):
        raise InputError("paragraph beads do not cover the paragraphs in order")
    return Segments(sides[0], sides[1], paragraph_beads, _sentence_beads(document.beads))
