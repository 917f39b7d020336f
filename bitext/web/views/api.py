"""JSON shapes of the API, declared as pydantic models so ``/openapi.json`` describes them."""

import datetime as dt
from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, Field

from bitext.services.reading import (
    BeadView,
    DocumentPage,
    DocumentSummary,
    DocumentView,
    ParagraphView,
)


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class AuthorOut(BaseModel):
    name: str = Field(description="Name in the original script.")
    romanized: str | None = Field(description="Romanized name.")


class DocumentSummaryOut(BaseModel):
    slug: str
    url: str = Field(description="Path of the document's reader page.")
    title_original: str
    title_translation: str
    language_original: str = Field(description="BCP 47 tag, e.g. zh-Hans.")
    language_translation: str = Field(description="BCP 47 tag, e.g. en.")
    authors: list[AuthorOut]
    source: str | None = Field(description="Source publication, original name.")
    source_translation: str | None = Field(description="Source publication, English name.")
    date: dt.date | None = Field(description="Date of the original publication.")
    version_date: dt.date | None = Field(
        description="Date of the version translated, when it is not the original.")
    translator: str | None
    publisher: str | None
    summary: str | None
    tags: list[str]
    url_original: str | None
    licence: str | None
    extra: dict[str, Any] = Field(description="Further metadata fields, kept as given.")


class DocumentListOut(BaseModel):
    items: list[DocumentSummaryOut]
    total: int = Field(description="Documents matching the filters, on all pages.")
    page: int
    per_page: int
    pages: int


class SentenceOut(BaseModel):
    id: int = Field(description="Sentence segment id (stable while its text is unchanged).")
    text: str
    bead: int | None = Field(description="Position of its sentence bead; shared by counterparts.")


class ParagraphOut(BaseModel):
    id: int = Field(description="Paragraph segment id.")
    sentences: list[SentenceOut]


class BeadOut(BaseModel):
    source: list[int] = Field(description="Segment ids on the original side (may be empty).")
    target: list[int] = Field(description="Segment ids on the translation side (may be empty).")
    score: float
    confirmed: bool = Field(description="An editor confirmed or changed this bead.")


class DocumentOut(DocumentSummaryOut):
    alignment_method: str
    original: list[ParagraphOut]
    translation: list[ParagraphOut]
    paragraph_beads: list[BeadOut] = Field(description="Aligned paragraphs, in reading order.")
    sentence_beads: list[BeadOut] = Field(description="Aligned sentences, in reading order.")


def summary_out(summary: DocumentSummary, url: str) -> DocumentSummaryOut:
    """The API's shape of a summary: its fields by name (the service's own list), and the
    reader's URL; what the API does not publish (status, timestamps) is left out."""
    return DocumentSummaryOut.model_validate({**asdict(summary), "url": url})


def document_list_out(page: DocumentPage, url_of) -> DocumentListOut:
    return DocumentListOut(
        items=[summary_out(item, url_of(item.slug)) for item in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
    )


def _paragraph_out(paragraph: ParagraphView) -> ParagraphOut:
    return ParagraphOut(
        id=paragraph.id,
        sentences=[SentenceOut(id=s.id, text=s.text, bead=s.bead) for s in paragraph.sentences],
    )


def _bead_out(bead: BeadView) -> BeadOut:
    return BeadOut(source=list(bead.source), target=list(bead.target), score=bead.score,
                   confirmed=bead.confirmed)


def document_out(document: DocumentView, url: str) -> DocumentOut:
    return DocumentOut(
        **summary_out(document.meta, url).model_dump(),
        alignment_method=document.method,
        original=[_paragraph_out(p) for p in document.original],
        translation=[_paragraph_out(p) for p in document.translation],
        paragraph_beads=[_bead_out(b) for b in document.paragraph_beads],
        sentence_beads=[_bead_out(b) for b in document.sentence_beads],
    )
