"""What readers see: the library, a document, its citations, history, diffs and the
paragraph permalinks, and the error report a reader sends about a paragraph.

Drafts and withdrawn documents are shown only to a signed-in editor (``AccountDep``); to
anyone else they are the same 404 as a missing page.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from bitext.core import sides
from bitext.errors import InputError
from bitext.services import reports
from bitext.services.export import cite_view
from bitext.services.history import diff_revisions, history_page, locate_paragraph
from bitext.services.reading import DocumentView, get_document
from bitext.web.dependencies import (
    AccountDep,
    DocumentVersionsDep,
    LibraryDep,
    PageCacheDep,
    SettingsDep,
    render,
    see_other,
)
from bitext.web.routes.params import Id, PageNumber, PerPage, ShortText, Side, Slug, Source, Tag
from bitext.web.security import client_address
from bitext.web.templating import base_url_of, path_for
from bitext.web.views import cite as cite_views
from bitext.web.views import editorial
from bitext.web.views.document import document_response, reported_row
from bitext.web.views.library import library_page, parse_filters

router = APIRouter(include_in_schema=False)


def document_path(request: Request, slug: str) -> str:
    return path_for(request, "document", slug=slug)


@router.get("/", response_class=HTMLResponse, name="library")
def library(
    request: Request,
    database: LibraryDep,
    settings: SettingsDep,
    account: AccountDep,
    tag: Tag = None,
    source: Source = None,
    year: Annotated[str | None, Query(max_length=8)] = None,  # "" from the form's "All"
    page: PageNumber = 1,
    per_page: PerPage = None,
):
    data = library_page(database, parse_filters(tag, source, year), page=page,
                        per_page=per_page, default_per_page=settings.page_size_documents,
                        statuses=editorial.statuses_for(account))
    return render(request, "library.html", library=data)


@router.get("/documents/{slug}", response_class=HTMLResponse, name="document")
def document(
    request: Request,
    database: LibraryDep,
    pages: PageCacheDep,
    versions: DocumentVersionsDep,
    account: AccountDep,
    slug: Slug,
    view: Annotated[str | None, Query(max_length=20)] = None,
    reported: Annotated[str | None, Query(max_length=5)] = None,
    saved: Annotated[str | None, Query(max_length=5)] = None,
    changed: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    status: Annotated[str | None, Query(max_length=5)] = None,
):
    notice = ("reported" if reported else "saved" if saved else "changed" if changed
              else "status" if status else None)
    return document_response(request, database, pages, versions, slug, view, account=account,
                             notice=notice, notice_row=reported_row(reported))


@router.get("/documents/{slug}/cite", response_class=HTMLResponse, name="cite")
def cite_page(
    request: Request,
    database: LibraryDep,
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


@router.post("/documents/{slug}/reports", name="report_post")
def report(
    request: Request,
    database: LibraryDep,
    settings: SettingsDep,
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
    except (InputError, reports.RateLimited) as error:  # the reader can fix these: the form again
        return render(request, "report.html", error.status, meta=document_view.meta,
                      form={"paragraph": paragraph, "quoted": quoted,
                            "suggestion": suggestion, "email": email},
                      choices=_report_choices(document_view, paragraph),
                      message=error.message)
    row = editorial.row_of(document_view, paragraph_id)
    return see_other(f"{document_path(request, slug)}?reported={row or 0}"
                     + (f"#p{row}" if row else ""))


def _report_choices(document_view: DocumentView, chosen: str) -> list[tuple[str, str]]:
    """The paragraphs of the row the reader chose, as (value, label) for the form again."""
    for row in document_view.rows:
        ids = {f"original:{p.id}" for p in row.original} | {
            f"translation:{p.id}" for p in row.translation}
        if chosen in ids:
            return [(f"original:{p.id}", "Original") for p in row.original] + [
                (f"translation:{p.id}", "Translation") for p in row.translation]
    return []


@router.get("/documents/{slug}/history", response_class=HTMLResponse, name="history")
def document_history(request: Request, database: LibraryDep, settings: SettingsDep,
                     account: AccountDep, slug: Slug, page: PageNumber = 1):
    statuses = editorial.statuses_for(account)
    document_view = get_document(database, slug, statuses=statuses)
    changes = history_page(database, slug, page=page, per_page=settings.page_size_history,
                           statuses=statuses)
    return render(request, "history.html", meta=document_view.meta, history=changes,
                  changes=changes.changes)


@router.get("/documents/{slug}/diff", response_class=HTMLResponse, name="diff")
def document_diff(
    request: Request, database: LibraryDep, account: AccountDep, slug: Slug, side: Side,
    old: Annotated[int, Query(ge=1, le=2**31)], new: Annotated[int, Query(ge=1, le=2**31)],
):
    statuses = editorial.statuses_for(account)
    document_view = get_document(database, slug, statuses=statuses)
    rows = diff_revisions(database, slug, side, old, new, statuses=statuses)
    page = editorial.DiffPage(document_view, side, old, new, rows)
    return render(request, "diff.html", page=page)


@router.get("/documents/{slug}/paragraphs/{paragraph_id}", name="paragraph")
def paragraph_permalink(request: Request, database: LibraryDep, account: AccountDep,
                        slug: Slug, paragraph_id: Id):
    location = locate_paragraph(database, slug, paragraph_id,
                                statuses=editorial.statuses_for(account))
    query = f"?changed={paragraph_id}" if location.changed else ""
    return see_other(f"{document_path(request, slug)}{query}#p{location.row}")
