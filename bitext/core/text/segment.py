"""The whole segmentation step: normalised text to paragraphs, each with its sentences."""

from dataclasses import dataclass

from bitext.core.text.normalize import normalize_text
from bitext.core.text.paragraphs import split_paragraphs
from bitext.core.text.sentences import split_sentences


@dataclass(frozen=True)
class Paragraph:
    text: str
    sentences: tuple[str, ...]


def segment_text(text: str, language: str) -> list[Paragraph]:
    """Paragraphs of ``text`` (layout detected), each split into sentences."""
    return [
        segment_paragraph(paragraph, language)
        for paragraph in split_paragraphs(normalize_text(text), language)
    ]


def segment_paragraph(paragraph: str, language: str) -> Paragraph:
    """One paragraph's sentences (the paragraph itself if it has no sentence break)."""
    return Paragraph(paragraph, tuple(split_sentences(paragraph, language)) or (paragraph,))
