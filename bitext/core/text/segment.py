"""The whole segmentation step: normalised text to paragraphs, each with its sentences."""

import re
from dataclasses import dataclass

from bitext.core.text.normalize import normalize_text
from bitext.core.text.paragraphs import split_paragraphs
from bitext.core.text.sentences import split_sentences
from bitext.errors import InputError

_CUT_AFTER = re.compile(r"[\s,;:，、；：)）」』”’]")
"""Where a too-long sentence may be cut so that the pieces still read naturally."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    sentences: tuple[str, ...]


def segment_text(
    text: str,
    language: str,
    *,
    max_paragraph_chars: int | None = None,
    max_sentence_chars: int | None = None,
) -> list[Paragraph]:
    """Paragraphs of ``text`` (layout detected), each split into sentences.

    A paragraph longer than ``max_paragraph_chars`` is refused (one line naming it) before
    any is split into sentences; sentences longer than ``max_sentence_chars`` are cut (see
    :func:`cut_sentence`), so the aligner sees all of their text, and quickly.
    """
    paragraphs = split_paragraphs(normalize_text(text), language)
    if max_paragraph_chars is not None:
        for number, paragraph in enumerate(paragraphs, 1):
            if len(paragraph) > max_paragraph_chars:
                raise InputError(
                    f"paragraph {number} has {len(paragraph):,} characters, more than "
                    f"{max_paragraph_chars:,} (setting import_max_paragraph_chars)")
    return [segment_paragraph(p, language, max_sentence_chars) for p in paragraphs]


def segment_side(
    text: str,
    language: str,
    side: str,
    *,
    max_paragraph_chars: int | None = None,
    max_sentence_chars: int | None = None,
) -> list[Paragraph]:
    """:func:`segment_text` for one side of a document pair: its errors name the side, and
    a side with no paragraph is refused."""
    try:
        paragraphs = segment_text(text, language, max_paragraph_chars=max_paragraph_chars,
                                  max_sentence_chars=max_sentence_chars)
    except InputError as error:
        raise InputError(f"the {side} text: {error.message}") from None
    if not paragraphs:
        raise InputError(f"the {side} text is empty")
    return paragraphs


def segment_paragraph(
    paragraph: str, language: str, max_sentence_chars: int | None = None
) -> Paragraph:
    """One paragraph's sentences (the paragraph itself if it has no sentence break)."""
    sentences = split_sentences(paragraph, language) or [paragraph]
    if max_sentence_chars is not None:
        sentences = [piece for s in sentences for piece in cut_sentence(s, max_sentence_chars)]
    return Paragraph(paragraph, tuple(sentences))


def cut_sentence(sentence: str, max_chars: int) -> list[str]:
    """``sentence`` in pieces of at most ``max_chars``, each cut after the last space or
    clause mark in its second half (anywhere, if it has none); whitespace at a cut goes."""
    pieces = []
    while len(sentence) > max_chars:
        breaks = _CUT_AFTER.finditer(sentence, max_chars // 2, max_chars)
        cut = max((match.end() for match in breaks), default=max_chars)
        piece, sentence = sentence[:cut].strip(), sentence[cut:].lstrip()
        if piece:
            pieces.append(piece)
    if sentence:
        pieces.append(sentence)
    return pieces
