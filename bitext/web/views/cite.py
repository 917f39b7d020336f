"""Citation and export endpoints; the app includes ``router`` and sets
``app.state.database``."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from bitext.services import export as service

router = APIRouter()


def _download(file: service.ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/documents/{slug}/cite.{ext}")
def citation_download(
    request: Request, slug: str, ext: str,
    paragraph: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) of a document or one paragraph."""
    file = service.citation_file(
        request.app.state.database, slug, ext, paragraph=paragraph,
        base_url=_base_url(request),
    )
    return _download(file)


@router.get("/documents/{slug}/cite")
def citation(
    request: Request, slug: str,
    style: Annotated[str, Query(pattern="^(chicago|apa|mla)$")] = "chicago",
    paragraph: Annotated[int | None, Query(ge=1)] = None,
    format: Annotated[str, Query(pattern="^(html|text)$")] = "html",
) -> Response:
    """The formatted citation, as an HTML fragment (default) or plain text."""
    html = format == "html"
    text = service.cite(
        request.app.state.database, slug, style, paragraph=paragraph, html=html,
        base_url=_base_url(request),
    )
    return HTMLResponse(text) if html else PlainTextResponse(text)


@router.get("/api/documents/{slug}/export")
def export(
    request: Request, slug: str,
    format: Annotated[str, Query(pattern="^(tmx|xliff|jsonl|csv|tsv|docx)$")] = "tmx",
) -> Response:
    """The document as TMX, XLIFF, JSONL, CSV, TSV or DOCX, as a download."""
    return _download(service.export_document(request.app.state.database, slug, format))
