"""The web application: ``create_app`` builds it, sets its state, adds the middleware and
mounts, and includes the routers (``bitext.web.routes``; a few still live in view modules
or here while they move).

Routes are thin: parse the query, call a service (through a view module), render a
template or a pydantic model. Errors of any kind go through ``bitext.web.errors``.
"""

from typing import Annotated

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bitext import __version__
from bitext.errors import BitextError
from bitext.services import accounts, feeds
from bitext.services.library import Library
from bitext.services.reading import get_document, list_documents
from bitext.services.search import TextLimits
from bitext.settings import Settings
from bitext.web.conditional import ConditionalGet, HeadAsGet
from bitext.web.docs import DOCS_ASSETS_PATH, docs_assets, swagger_page
from bitext.web.errors import install_error_handlers
from bitext.web.headers import SecurityHeaders
from bitext.web.page_cache import PageCache
from bitext.web.routes import editorial as editorial_routes
from bitext.web.routes import importing as importing_routes
from bitext.web.routes import reading as reading_routes
from bitext.web.routes.params import PageNumber, PerPage, Slug, Source, Tag
from bitext.web.security import FormGuard, Guard, client_address, safe_next
from bitext.web.static_files import FingerprintedStatic
from bitext.web.templating import (
    STATIC_DIR,
    absolute_url_for,
    base_url_of,
    make_templates,
    path_for,
)
from bitext.web.views import cite as cite_views
from bitext.web.views import document as document_views
from bitext.web.views import glossary as glossary_views
from bitext.web.views import qa as qa_views
from bitext.web.views import search as search_views
from bitext.web.views.api import DocumentListOut, DocumentOut, document_list_out, document_out
from bitext.web.views.library import parse_filters

LOGIN_FIELD_MAX_CHARS = accounts.PASSWORD_MAX_CHARS * 4


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def create_app(database: Library, *, settings: Settings | None = None) -> FastAPI:
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
    app.state.settings = settings
    app.state.templates = templates
    app.state.page_cache = PageCache()  # readers' pages, per document version
    app.state.library_name = settings.library_name
    app.state.public_base_url = settings.public_base_url
    app.state.text_limits = TextLimits.from_settings(settings)
    app.state.guard = guard = Guard.from_settings(settings)
    renderer = install_error_handlers(app, templates)
    app.add_middleware(ConditionalGet)  # innermost: ETags hash the page as rendered
    app.add_middleware(FormGuard, guard=guard, reject=renderer.render)
    # A request naming another host is refused (400) before anything builds a link from it.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts_allowed())
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(HeadAsGet)  # every GET page answers HEAD too
    app.add_middleware(SecurityHeaders)  # outermost: its headers reach every response
    app.mount("/static", FingerprintedStatic(STATIC_DIR), name="static")
    app.mount(DOCS_ASSETS_PATH, docs_assets(), name="docs_assets")
    per_page_default = settings.page_size_documents
    login_backoff = accounts.LoginBackoff.from_settings(settings)

    def render(request: Request, template: str, status_code: int = 200, /, **context):
        return templates.TemplateResponse(request, template, context, status_code=status_code)

    def see_other(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    # ---- machines: feed, sitemap, robots.txt -----------------------------------------

    @app.get("/feed.atom", name="feed", include_in_schema=False)
    def feed(request: Request) -> Response:
        """Newly published and corrected documents, newest first."""
        updates = feeds.recent_updates(database, max_notes=settings.feed_max_notes_per_entry,
                                       note_max_chars=settings.feed_note_max_chars)
        body = feeds.atom_feed(updates,
                               base_url=base_url_of(request),
                               feed_url=absolute_url_for(request, "feed"))
        return Response(body, media_type="application/atom+xml")

    @app.get("/sitemap.xml", name="sitemap", include_in_schema=False)
    def sitemap(request: Request) -> Response:
        pages = feeds.site_pages(database, base_url=base_url_of(request),
                                 library_url=absolute_url_for(request, "library"),
                                 max_urls=settings.sitemap_max_urls)
        return Response(feeds.sitemap(pages), media_type="application/xml")

    @app.get("/robots.txt", name="robots", include_in_schema=False)
    def robots(request: Request) -> PlainTextResponse:
        return PlainTextResponse(
            "User-agent: *\nDisallow: /editor/\nDisallow: /login\n"
            f"Sitemap: {absolute_url_for(request, 'sitemap')}\n")

    # ---- accounts --------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, name="login", include_in_schema=False)
    def login_form(request: Request,
                   next: Annotated[str | None, Query(max_length=2000)] = None):  # noqa: A002
        return render(request, "login.html", next=safe_next(next), name="", message=None)

    @app.post("/login", name="login_post", include_in_schema=False)
    def login(
        request: Request,
        name: Annotated[str, Form(max_length=LOGIN_FIELD_MAX_CHARS)] = "",
        password: Annotated[str, Form(max_length=LOGIN_FIELD_MAX_CHARS)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
    ):
        target = safe_next(next)
        try:
            token = accounts.log_in(database, name, password, client_address(request),
                                    backoff=login_backoff,
                                    idle_timeout_s=settings.session_idle_timeout_s)
        except BitextError as error:  # wrong password or throttled: the form again
            return render(request, "login.html", error.status, next=target,
                          name=name[:64], message=error.message)
        old = guard.session_token(request)
        if old:  # a new session replaces the old one (no fixation)
            accounts.log_out(database, old, client_address(request))
        response = see_other(target)
        guard.start_session(request, response, token)
        return response

    @app.post("/logout", name="logout", include_in_schema=False)
    def logout(request: Request):
        token = guard.session_token(request)
        if token:
            accounts.log_out(database, token, client_address(request))
        response = see_other(path_for(request, "library"))
        guard.end_session(request, response)
        return response

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

    app.include_router(reading_routes.router)
    app.include_router(editorial_routes.router)
    app.include_router(search_views.router)
    app.include_router(cite_views.router)
    app.include_router(document_views.router)
    app.include_router(glossary_views.router)
    app.include_router(qa_views.router)
    app.include_router(importing_routes.router)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return swagger_page(root + (app.openapi_url or "/openapi.json"), "bitext API",
                            root + DOCS_ASSETS_PATH)

    return app

