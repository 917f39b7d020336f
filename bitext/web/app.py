"""The web application: every route of the site and the API, in one place.

Routes are thin: parse the query, call a service (through a view module), render a
template or a pydantic model. Errors of any kind go through ``bitext.web.errors``.
"""

from typing import Annotated

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from bitext import __version__
from bitext.services.reading import get_document, list_documents
from bitext.settings import Settings
from bitext.store.database import Database
from bitext.web.docs import swagger_page
from bitext.web.errors import install_error_handlers
from bitext.web.headers import SecurityHeaders
from bitext.web.templating import STATIC_DIR, make_templates, path_for
from bitext.web.views.api import DocumentListOut, DocumentOut, document_list_out, document_out
from bitext.web.views.document import reader_page
from bitext.web.views.library import MAX_PER_PAGE, library_page, parse_filters

Tag = Annotated[str | None, Query(max_length=200, description="Only documents with this tag.")]
Source = Annotated[
    str | None, Query(max_length=500, description="Only documents from this source (either name).")
]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PerPage = Annotated[
    int | None, Query(ge=1, le=MAX_PER_PAGE, description="Documents per page (default: setting).")
]
Slug = Annotated[str, Path(max_length=200)]


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def create_app(database: Database, *, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    templates = make_templates()
    app = FastAPI(
        title="bitext",
        version=__version__,
        description="Read-only API of a library of translated documents.",
        docs_url=None,  # served below with its own Content-Security-Policy
        redoc_url=None,
    )
    app.state.database = database  # for routers that read it from the request
    app.state.templates = templates
    install_error_handlers(app, templates)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    per_page_default = settings.page_size_documents

    @app.get("/", response_class=HTMLResponse, name="library", include_in_schema=False)
    def library(
        request: Request,
        tag: Tag = None,
        source: Source = None,
        year: Annotated[str | None, Query(max_length=8)] = None,  # "" from the form's "All"
        page: PageNumber = 1,
        per_page: PerPage = None,
    ):
        data = library_page(database, parse_filters(tag, source, year), page=page,
                            per_page=per_page, default_per_page=per_page_default)
        return templates.TemplateResponse(request, "library.html", {"library": data})

    @app.get("/documents/{slug}", response_class=HTMLResponse, name="document",
             include_in_schema=False)
    def document(
        request: Request,
        slug: Slug,
        view: Annotated[str | None, Query(max_length=20)] = None,
    ):
        url = str(request.url_for("document", slug=slug))
        return templates.TemplateResponse(
            request, "document.html", {"reader": reader_page(database, slug, view, url)}
        )

    @app.get("/api/documents", response_model=DocumentListOut, name="api_documents",
             tags=["documents"], responses={422: {"model": ErrorOut}})
    def api_documents(
        request: Request,
        tag: Tag = None,
        source: Source = None,
        year: Annotated[int | None, Query(ge=1, le=9999)] = None,
        page: PageNumber = 1,
        per_page: PerPage = None,
    ) -> DocumentListOut:
        """Published documents, newest first, with the same filters as the library page."""
        result = list_documents(database, parse_filters(tag, source, year), page=page,
                                per_page=per_page or per_page_default)
        return document_list_out(result, lambda slug: path_for(request, "document", slug=slug))

    @app.get("/api/documents/{slug}", response_model=DocumentOut, name="api_document",
             tags=["documents"], responses={404: {"model": ErrorOut}})
    def api_document(request: Request, slug: Slug) -> DocumentOut:
        """A published document: metadata, both sides' paragraphs and sentences, beads."""
        return document_out(get_document(database, slug),
                            path_for(request, "document", slug=slug))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return swagger_page(app.openapi_url or "/openapi.json", "bitext API")

    return app
