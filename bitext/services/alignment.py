"""Choosing and running the aligner for a document (the engine behind the interface)."""

from bitext.core.align import Aligner, DocumentAlignment, align_document
from bitext.core.align.length import GaleChurchAligner
from bitext.core.text.segment import Paragraph


def default_aligner(source_language: str, target_language: str) -> Aligner:
    """The aligner new documents get."""
    return GaleChurchAligner()


def align_paragraphs(
    original: list[Paragraph], translation: list[Paragraph], aligner: Aligner
) -> DocumentAlignment:
    return align_document(
        [p.sentences for p in original], [p.sentences for p in translation], aligner
    )
