"""The read-only JSON API of published documents, and ``/docs``, its Swagger page.

The shapes are the pydantic models of ``bitext.web.views.api``, so ``/openapi.json``
describes them; ``url`` fields are paths built with ``url_for`` (root path included).
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from bitext.services.reading import get_document, list_documents
from bitext.web.dependencies import LibraryDep, SettingsDep
from bitext.web.docs import DOCS_ASSETS_PATH, swagger_page
from bitext.web.routes.params import PageNumber, PerPage, Slug, Source, Tag
from bitext.web.templating import path_for
from bitext.web.views.api import (
    DocumentListOut,
    DocumentOut,
    ErrorOut,
    document_list_out,
    document_out,
)
from bitext.web.views.library import parse_filters

router = APIRouter(tags=["documents"])


@router.get("/api/documents", response_model=DocumentListOut, name="api_documents",
            responses={422: {"model": ErrorOut}})
def api_documents(
    request: Request,
    database: LibraryDep,
    settings: SettingsDep,
    tag: Tag = None,
    source: Source = None,
    year: Annotated[int | None, Query(ge=1, le=9999)] = None,
    page: PageNumber = 1,
    per_page: PerPage = None,
) -> DocumentListOut:
    """Published documents, newest first, with the same filters as the library page."""
    result = list_documents(database, parse_filters(tag, source, year), page=page,
                            per_page=per_page or settings.page_size_documents)
    return document_list_out(result, lambda slug: path_for(request, "document", slug=slug))


@router.get("/api/documents/{slug}", response_model=DocumentOut, name="api_document",
            responses={404: {"model": ErrorOut}})
def api_document(request: Request, database: LibraryDep, slug: Slug) -> DocumentOut:
    """A published document: metadata, both sides' paragraphs and sentences, beads."""
    return document_out(get_document(database, slug),
                        path_for(request, "document", slug=slug))


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return swagger_page(root + (request.app.openapi_url or "/openapi.json"), "bitext API",
                        root + DOCS_ASSETS_PATH)
