"""The web application: every route of the site and the API, in one place.

Routes are thin: parse the query, call a service (through a view module), render a
template or a pydantic model. Errors of any kind go through ``bitext.web.errors``.
"""

from typing import Annotated, Literal

from fastapi import FastAPI, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bitext import __version__
from bitext.core import sides
from bitext.core.metadata import EDITABLE_TEXT_FIELDS
from bitext.errors import BitextError, Conflict, InputError, NotFound
from bitext.services import accounts, editing, feeds, reports
from bitext.services.audit_log import audit_entries
from bitext.services.export import cite_view
from bitext.services.history import diff_revisions, history_page, locate_paragraph
from bitext.services.library import Library
from bitext.services.reading import EVERY_STATUS, get_document, list_documents
from bitext.services.search import TextLimits
from bitext.settings import Settings
from bitext.web.conditional import ConditionalGet, HeadAsGet
from bitext.web.docs import DOCS_ASSETS_PATH, docs_assets, swagger_page
from bitext.web.errors import install_error_handlers
from bitext.web.headers import SecurityHeaders
from bitext.web.routes import importing as importing_routes
from bitext.web.security import FormGuard, Guard, client_address, current_account, safe_next
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
from bitext.web.views import editorial
from bitext.web.views import glossary as glossary_views
from bitext.web.views import qa as qa_views
from bitext.web.views import search as search_views
from bitext.web.views.api import DocumentListOut, DocumentOut, document_list_out, document_out
from bitext.web.views.document import reader_page, reported_row
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
Id = Annotated[int, Path(ge=1, le=2**53)]
Side = Annotated[sides.Side, Query()]
ShortText = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=editing.PARAGRAPH_MAX_CHARS * 2)]
Note = Annotated[str, Form(max_length=editing.NOTE_MAX_CHARS * 2)]
Number = Annotated[int, Form(ge=0, le=2**31)]
MetaText = Annotated[str, Form(max_length=editorial.METADATA_FIELD_MAX_CHARS)]
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

    def document_path(request: Request, slug: str) -> str:
        return path_for(request, "document", slug=slug)

    @app.get("/", response_class=HTMLResponse, name="library", include_in_schema=False)
    def library(
        request: Request,
        tag: Tag = None,
        source: Source = None,
        year: Annotated[str | None, Query(max_length=8)] = None,  # "" from the form's "All"
        page: PageNumber = 1,
        per_page: PerPage = None,
    ):
        account = current_account(request)
        data = library_page(database, parse_filters(tag, source, year), page=page,
                            per_page=per_page, default_per_page=per_page_default,
                            statuses=editorial.statuses_for(account))
        return templates.TemplateResponse(request, "library.html", {"library": data})

    @app.get("/documents/{slug}", response_class=HTMLResponse, name="document",
             include_in_schema=False)
    def document(
        request: Request,
        slug: Slug,
        view: Annotated[str | None, Query(max_length=20)] = None,
        reported: Annotated[str | None, Query(max_length=5)] = None,
        saved: Annotated[str | None, Query(max_length=5)] = None,
        changed: Annotated[int | None, Query(ge=1, le=2**53)] = None,
        status: Annotated[str | None, Query(max_length=5)] = None,
    ):
        url = absolute_url_for(request, "document", slug=slug)
        notice = ("reported" if reported else "saved" if saved else "changed" if changed
                  else "status" if status else None)
        reader = reader_page(database, slug, view, url, account=current_account(request),
                             notice=notice, notice_row=reported_row(reported))
        published = reader.meta.status == "published"  # drafts: no citations, no indexing
        response = render(
            request, "document.html", reader=reader,
            head=cite_views.head_tags(request, reader.document) if published else None,
            cite=cite_views.cite_panel(request, reader.document) if published else None,
        )
        response.headers["Last-Modified"] = reader.last_modified
        return response

    @app.get("/documents/{slug}/cite", response_class=HTMLResponse, name="cite",
             include_in_schema=False)
    def cite_page(
        request: Request,
        slug: Slug,
        style: Annotated[Literal["chicago", "apa", "mla"], Query()] = "chicago",
        paragraph: Annotated[int | None, Query(ge=1, le=2**31)] = None,
        format: Annotated[Literal["html", "text"], Query()] = "html",  # noqa: A002
    ):
        """Every style with the chosen one first, as a page; ``format=text``: just it."""
        document_view = get_document(database, slug)
        if format == "text":
            return PlainTextResponse(cite_view(
                document_view, style, paragraph=paragraph,
                base_url=base_url_of(request),
                library_name=cite_views.library_name_of(request)))
        panel = cite_views.cite_panel(request, document_view, paragraph=paragraph, first=style)
        return render(request, "cite.html", meta=document_view.meta, cite=panel)

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

    # ---- readers: reports, history, diffs, paragraph permalinks ----------------------

    @app.post("/documents/{slug}/reports", name="report_post", include_in_schema=False)
    def report(
        request: Request,
        slug: Slug,
        paragraph: ShortText = "",
        quoted: Annotated[str, Form(max_length=reports.QUOTED_MAX_CHARS * 2)] = "",
        suggestion: Annotated[str, Form(max_length=reports.SUGGESTION_MAX_CHARS * 2)] = "",
        email: Annotated[str, Form(max_length=320)] = "",
    ):
        side, _, number = paragraph.partition(":")
        document_view = get_document(database, slug)  # published only: drafts are 404
        try:
            if not sides.is_side(side) or not (number.isascii() and number.isdigit()):
                raise InputError("please choose the original or the translation")
            paragraph_id = int(number[:18])
            reports.submit_report(database, slug, paragraph_id, side, quoted, suggestion,
                                  email, client_address(request),
                                  per_hour=settings.reports_per_address_per_hour)
        except NotFound:
            raise
        except BitextError as error:
            return render(request, "report.html", error.status, meta=document_view.meta,
                          form={"paragraph": paragraph, "quoted": quoted,
                                "suggestion": suggestion, "email": email},
                          choices=_report_choices(document_view, paragraph),
                          message=error.message)
        row = editorial.row_of(document_view, paragraph_id)
        return see_other(f"{document_path(request, slug)}?reported={row or 0}"
                         + (f"#p{row}" if row else ""))

    @app.get("/documents/{slug}/history", response_class=HTMLResponse, name="history",
             include_in_schema=False)
    def document_history(request: Request, slug: Slug, page: PageNumber = 1):
        statuses = editorial.statuses_for(current_account(request))
        document_view = get_document(database, slug, statuses=statuses)
        changes = history_page(database, slug, page=page, per_page=settings.page_size_history,
                               statuses=statuses)
        return render(request, "history.html", meta=document_view.meta, history=changes,
                      changes=changes.changes)

    @app.get("/documents/{slug}/diff", response_class=HTMLResponse, name="diff",
             include_in_schema=False)
    def document_diff(
        request: Request, slug: Slug, side: Side,
        old: Annotated[int, Query(ge=1, le=2**31)], new: Annotated[int, Query(ge=1, le=2**31)],
    ):
        statuses = editorial.statuses_for(current_account(request))
        document_view = get_document(database, slug, statuses=statuses)
        rows = diff_revisions(database, slug, side, old, new, statuses=statuses)
        page = editorial.DiffPage(document_view, side, old, new, rows)
        return render(request, "diff.html", page=page)

    @app.get("/documents/{slug}/paragraphs/{paragraph_id}", name="paragraph",
             include_in_schema=False)
    def paragraph_permalink(request: Request, slug: Slug, paragraph_id: Id):
        statuses = editorial.statuses_for(current_account(request))
        location = locate_paragraph(database, slug, paragraph_id, statuses=statuses)
        query = f"?changed={paragraph_id}" if location.changed else ""
        return see_other(f"{document_path(request, slug)}{query}#p{location.row}")

    # ---- editors: corrections --------------------------------------------------------

    @app.get("/documents/{slug}/paragraphs/{paragraph_id}/edit", response_class=HTMLResponse,
             name="edit_paragraph", include_in_schema=False)
    def edit_paragraph_form(request: Request, slug: Slug, paragraph_id: Id, side: Side):
        editorial.require_editor(request)
        document_view = editorial.editable_document(database, slug)
        paragraph = editorial.current_paragraph(database, document_view, side, paragraph_id)
        if paragraph is None:
            raise NotFound("Paragraph not found")
        if paragraph.id != paragraph_id:  # corrected since: edit the current text
            return see_other(path_for(request, "edit_paragraph", slug=slug,
                                      paragraph_id=paragraph.id) + f"?side={side}")
        return render(request, "edit_paragraph.html", meta=document_view.meta, side=side,
                      paragraph_id=paragraph.id, text=paragraph.text, note="",
                      base=document_view.revisions[side], theirs=None, message=None,
                      row=editorial.row_of(document_view, paragraph.id))

    @app.post("/documents/{slug}/paragraphs/{paragraph_id}/edit", name="edit_paragraph_post",
              include_in_schema=False)
    def edit_paragraph(
        request: Request, slug: Slug, paragraph_id: Id, side: Side,
        text: LongText = "", note: Note = "", base: Number = 0,
    ):
        account = editorial.require_editor(request)
        try:
            saved = editing.edit_paragraph(database, account, slug, side, paragraph_id, base,
                                           text, note, address=client_address(request))
        except editing.EditConflict as conflict:
            document_view = get_document(database, slug, statuses=EVERY_STATUS)
            current = editorial.current_paragraph(database, document_view, side, paragraph_id)
            return render(
                request, "edit_paragraph.html", 409, meta=document_view.meta, side=side,
                paragraph_id=current.id if current else paragraph_id,
                text=conflict.your_text, note=note, base=conflict.current_revision,
                theirs=current.text if current else conflict.current_text,
                message=conflict.message,
                row=editorial.row_of(document_view, current.id) if current else None,
            )
        except (InputError, Conflict) as error:
            document_view = get_document(database, slug, statuses=EVERY_STATUS)
            return render(request, "edit_paragraph.html", error.status,
                          meta=document_view.meta, side=side, paragraph_id=paragraph_id,
                          text=text, note=note, base=base, theirs=None, message=error.message,
                          row=editorial.row_of(document_view, paragraph_id))
        location = locate_paragraph(database, slug, saved.paragraph_id, statuses=EVERY_STATUS)
        return see_other(f"{document_path(request, slug)}?saved=1#p{location.row}")

    @app.get("/documents/{slug}/metadata", response_class=HTMLResponse, name="edit_metadata",
             include_in_schema=False)
    def edit_metadata_form(request: Request, slug: Slug):
        editorial.require_editor(request)
        document_view = editorial.editable_document(database, slug)
        form = editorial.MetadataForm.from_document(
            document_view, editing.metadata_version(database, slug))
        return render(request, "edit_metadata.html", meta=document_view.meta, form=form,
                      fields=EDITABLE_TEXT_FIELDS, message=None)

    @app.post("/documents/{slug}/metadata", name="edit_metadata_post", include_in_schema=False)
    def edit_metadata(
        request: Request, slug: Slug,
        title_original: MetaText = "", title_translation: MetaText = "", source: MetaText = "",
        source_translation: MetaText = "", date: MetaText = "", translator: MetaText = "",
        publisher: MetaText = "", summary: MetaText = "", url_original: MetaText = "",
        licence: MetaText = "", authors: MetaText = "", tags: MetaText = "", note: Note = "",
        base: Number = 0,
    ):
        account = editorial.require_editor(request)
        values = {"title_original": title_original, "title_translation": title_translation,
                  "source": source, "source_translation": source_translation, "date": date,
                  "translator": translator, "publisher": publisher, "summary": summary,
                  "url_original": url_original, "licence": licence}
        form = editorial.MetadataForm(values, authors, tags, note, base)
        try:
            editing.edit_metadata(database, account, slug, base, form.changes(), note,
                                  address=client_address(request))
        except (InputError, Conflict) as error:
            document_view = get_document(database, slug, statuses=EVERY_STATUS)
            return render(request, "edit_metadata.html", error.status,
                          meta=document_view.meta, form=form,
                          fields=EDITABLE_TEXT_FIELDS, message=error.message)
        return see_other(f"{document_path(request, slug)}?saved=1")

    @app.post("/documents/{slug}/status", name="status_post", include_in_schema=False)
    def change_status(request: Request, slug: Slug, status: ShortText = ""):
        account = editorial.require_editor(request)
        editing.change_status(database, account, slug, status, address=client_address(request))
        return see_other(f"{document_path(request, slug)}?status=1")

    # ---- editors: alignment ----------------------------------------------------------

    @app.get("/documents/{slug}/alignment", response_class=HTMLResponse, name="alignment",
             include_in_schema=False)
    def alignment_form(request: Request, slug: Slug,
                       row: Annotated[int | None, Query(ge=1, le=2**31)] = None):
        editorial.require_editor(request)
        page = editorial.alignment_page(database, slug, row)
        return render(request, "alignment.html", page=page, message=None)

    @app.post("/documents/{slug}/alignment", name="alignment_post", include_in_schema=False)
    def edit_alignment(
        request: Request, slug: Slug,
        base_alignment: Number = 0, position: Number = 0,
        level: ShortText = "paragraph", operation: ShortText = "",
        side: ShortText = "original", source_count: Number = 1, target_count: Number = 1,
        row: Annotated[str, Form(max_length=12)] = "", note: Note = "",
    ):
        account = editorial.require_editor(request)
        chosen_row = editorial.parse_optional_int(row, "row")
        try:
            editing.edit_alignment(
                database, account, slug, base_alignment, level, position, operation,
                side=side, source_count=source_count, target_count=target_count, note=note,
                address=client_address(request),
            )
        except (InputError, Conflict) as error:
            page = editorial.alignment_page(database, slug, chosen_row)
            return render(request, "alignment.html", error.status, page=page,
                          message=error.message)
        query = f"?row={chosen_row}" if chosen_row else ""
        return see_other(path_for(request, "alignment", slug=slug) + query)

    # ---- editors: reports and the audit log ------------------------------------------

    @app.get("/editor/reports", response_class=HTMLResponse, name="report_queue",
             include_in_schema=False)
    def report_queue(
        request: Request,
        status: Annotated[Literal["open", "accepted", "rejected", "duplicate"], Query()] = "open",
        page: PageNumber = 1,
    ):
        editorial.require_editor(request)
        queue = editorial.queue_page(database, status, page, settings.page_size_reports)
        return render(request, "reports.html", queue=queue)

    @app.post("/editor/reports/{report_id}", name="report_resolve", include_in_schema=False)
    def resolve_report(
        request: Request, report_id: Id, status: ShortText = "",
        revision: Annotated[str, Form(max_length=12)] = "",
        back: Annotated[Literal["open", "accepted", "rejected", "duplicate"], Form()] = "open",
    ):
        account = editorial.require_editor(request)
        number = editorial.parse_optional_int(revision, "revision number")
        reports.resolve_report(database, account, report_id, status, revision_number=number,
                               address=client_address(request))
        return see_other(path_for(request, "report_queue") + f"?status={back}")

    @app.get("/editor/audit", response_class=HTMLResponse, name="audit",
             include_in_schema=False)
    def audit(request: Request,
              before: Annotated[int | None, Query(ge=1, le=2**53)] = None):
        editorial.require_editor(request)
        return render(request, "audit.html", page=audit_entries(
            database, before=before, limit=settings.page_size_audit_entries))

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

    app.include_router(search_views.router)
    app.include_router(cite_views.router)  # after the "cite" page above, which wins
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


def _report_choices(document_view, chosen: str) -> list[tuple[str, str]]:
    """The paragraphs of the row the reader chose, as (value, label) for the form again."""
    for row in document_view.rows:
        ids = {f"original:{p.id}" for p in row.original} | {
            f"translation:{p.id}" for p in row.translation}
        if chosen in ids:
            return [(f"original:{p.id}", "Original") for p in row.original] + [
                (f"translation:{p.id}", "Translation") for p in row.translation]
    return []
