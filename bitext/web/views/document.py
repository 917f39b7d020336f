"""The reader: one document as original, translation, or side by side."""

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from functools import cached_property
from typing import Annotated, Literal, TypeGuard
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from bitext.core.text.languages import joins_without_spaces
from bitext.errors import NotFound
from bitext.services.accounts import Account
from bitext.services.editing import STATUS_CHANGES
from bitext.services.history import Change, corrections
from bitext.services.import_jobs import has_document_report
from bitext.services.library import Library
from bitext.services.page_versions import DocumentVersions
from bitext.services.reading import DocumentView, Row, get_document
from bitext.services.work_reading import WorkPlace, work_of_document
from bitext.web.dependencies import LibraryDep, render
from bitext.web.page_cache import PageCache, page_key
from bitext.web.templating import absolute_url_for, base_url_of
from bitext.web.views import cite as cite_views
from bitext.web.views.editorial import statuses_for
from bitext.web.views.languages import language_name
from bitext.web.views.outline import Outline, outline

View = Literal["side", "original", "translation"]
VIEWS: dict[View, str] = {  # in the order the view switch shows them
    "original": "Original", "translation": "Translation", "side": "Side by side"
}
DEFAULT_VIEW: View = "side"


def is_view(name: str | None) -> TypeGuard[View]:
    return name in VIEWS


def chosen_view(view: str | None) -> View:
    return view if is_view(view) else DEFAULT_VIEW


def safe_link(url: str | None) -> str | None:
    """Only http(s) addresses become links; anything else is shown as text or not at all."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def mailto_link(subject: str, url: str) -> str:
    return "mailto:?" + urlencode({"subject": subject, "body": f"{subject}\n{url}"},
                                  quote_via=quote)


STATUS_ACTIONS = {"published": "Publish", "withdrawn": "Withdraw", "draft": "Back to draft"}
NOTICES = {
    "reported": "Thank you: your report was sent to the editors.",
    "saved": "Your correction was saved.",
    "changed": "The paragraph you linked to has been corrected since; this is its current "
               "text. The history shows what changed.",
    "status": "The status was changed.",
}


@dataclass(frozen=True)
class ReaderPage:
    document: DocumentView
    view: View
    url: str  # absolute URL of the document, for share links and print
    account: Account | None = None  # an editor sees drafts, edit links and status buttons
    corrections: tuple[Change, ...] = ()
    notice: str | None = None
    notice_row: int | None = None  # the notice shows in this row (where the reader is)
    work: WorkPlace | None = None  # the work whose version the document translates
    import_report: bool = False  # an editor's page links to the import's report

    @property
    def last_modified(self) -> str:
        """HTTP date of the last change to the text or its metadata."""
        changed = self.meta.corrected_at or self.meta.created_at
        changed = changed if changed.tzinfo else changed.replace(tzinfo=dt.UTC)
        return format_datetime(changed.astimezone(dt.UTC), usegmt=True)

    @property
    def row_with_notice(self) -> int | None:
        """The row the notice belongs to, if it names one of this document's rows."""
        rows = len(self.document.rows)
        return self.notice_row if self.notice_row and 1 <= self.notice_row <= rows else None

    @cached_property
    def outline(self) -> Outline:
        return outline(self.document.rows)

    @property
    def first_focusable(self) -> tuple[int, int] | None:
        """(row, sentence id) of the one sentence in the tab order: arrow keys move on from
        it (bitext.js), so a long document has one tab stop for its text, not thousands."""
        if self.view != "side":
            return None
        for row in self.document.rows:
            for paragraph in row.original:
                for sentence in paragraph.sentences:
                    if sentence.bead is not None:
                        return row.number, sentence.id
        return None

    @property
    def name_original(self) -> str:
        return language_name(self.meta.language_original)

    @property
    def name_translation(self) -> str:
        return language_name(self.meta.language_translation)

    @property
    def is_editor(self) -> bool:
        return self.account is not None

    @property
    def status_actions(self) -> list[tuple[str, str]]:
        return [(status, STATUS_ACTIONS[status])
                for status in sorted(STATUS_CHANGES.get(self.meta.status, ()))]

    @property
    def notes(self) -> list[str]:
        """The editors' notes on corrections, newest first, each once."""
        return list(dict.fromkeys(c.note for c in self.corrections if c.note))

    @property
    def meta(self):
        return self.document.meta

    @property
    def views(self) -> list[tuple[str, str]]:
        return list(VIEWS.items())

    @property
    def show_original(self) -> bool:
        return self.view in ("side", "original")

    @property
    def show_translation(self) -> bool:
        return self.view in ("side", "translation")

    @property
    def joiner_original(self) -> str:
        return "" if joins_without_spaces(self.meta.language_original) else " "

    @property
    def joiner_translation(self) -> str:
        return "" if joins_without_spaces(self.meta.language_translation) else " "

    @property
    def url_original(self) -> str | None:
        return safe_link(self.meta.url_original)

    @property
    def mailto(self) -> str:
        return mailto_link(self.meta.title_translation, self.url)

    def is_uncertain(self, row: Row) -> bool:
        """A hint that the two sides of the row may not match (the calibrated confidence,
        ``DocumentView.is_uncertain``), unless an editor has checked the link."""
        return self.document.is_uncertain(row)

    def alignment_status(self, row: Row) -> tuple[str, str, str]:
        """(kind, short label, hover text): whether an editor confirmed this row's link or
        the aligner made it, with the aligner's confidence."""
        confidence = f"aligner's confidence {self.document.confidences.get(row.number, 1):.0%}"
        if row.confirmed:
            return "confirmed", "Checked", f"Alignment checked by an editor ({confidence})"
        return "automatic", "Automatic", f"Aligned automatically, not yet checked ({confidence})"

    def permalink(self, row: Row) -> str:
        return f"{self.url}#p{row.number}"


def reader_page(
    database: Library, slug: str, view: str | None, url: str, *,
    account: Account | None = None, notice: str | None = None,
    notice_row: int | None = None,
) -> ReaderPage:
    chosen = chosen_view(view)
    statuses = statuses_for(account)
    document = get_document(database, slug, statuses=statuses)
    changes = tuple(corrections(database, slug, statuses=statuses))
    return ReaderPage(document, chosen, url, account, changes,
                      NOTICES.get(notice or ""), notice_row, work_of_document(database, slug),
                      account is not None and has_document_report(database, slug))


def reported_row(reported: str | None) -> int | None:
    """``?reported=N``: the row the reader reported on, where the thank-you shows."""
    return int(reported) if reported and reported.isascii() and reported.isdigit() else None


def render_reader(request: Request, reader: ReaderPage) -> HTMLResponse:
    published = reader.meta.status == "published"  # drafts: no citations, no indexing
    response = render(
        request, "document.html", reader=reader,
        head=cite_views.head_tags(request, reader.document) if published else None,
        cite=cite_views.cite_panel(request, reader.document) if published else None,
    )
    response.headers["Last-Modified"] = reader.last_modified
    return response


def anonymous_page_key(request: Request, slug: str, version: str, view: View) -> str:
    """The page cache's key of what an anonymous reader is shown: the document's version,
    the view and the addresses its links are built from."""
    return page_key("document", slug, version, view, base_url_of(request),
                    str(request.base_url))


def document_response(
    request: Request, database: Library, pages: PageCache, versions: DocumentVersions,
    slug: str, view: str | None, *, account: Account | None, notice: str | None = None,
    notice_row: int | None = None,
) -> Response:
    """The reader's page. An anonymous reader without a notice gets the page rendered for
    the document's current version (from ``pages``, or rendered once and kept there; a
    kept page is usually answered before routing, by ``cached_reader``); an editor's page,
    or one with a notice, is rendered for that request alone. The page's absolute URL is
    built only when it is rendered: a cached page needs no route lookup."""
    if account is not None or notice is not None:
        url = absolute_url_for(request, "document", slug=slug)
        return render_reader(request, reader_page(
            database, slug, view, url, account=account, notice=notice, notice_row=notice_row))
    chosen = chosen_view(view)
    key = anonymous_page_key(request, slug, versions.current(slug), chosen)

    def render_anonymous() -> tuple[bytes, dict[str, str]]:
        url = absolute_url_for(request, "document", slug=slug)
        rendered = render_reader(request, reader_page(database, slug, chosen, url))
        return bytes(rendered.body), {"Last-Modified": rendered.headers["Last-Modified"]}

    return pages.get_or_render(key, render_anonymous).response(request)


router = APIRouter()


@router.get("/documents/{slug}/report", response_class=HTMLResponse, name="report_form",
            include_in_schema=False)
def report_form(request: Request, database: LibraryDep,
                slug: Annotated[str, Path(max_length=200)],
                row: Annotated[int, Query(ge=1, le=2**31)]):
    """The error-report form for one row: a page of its own, so the reader's page carries
    no form per paragraph (the row menu links here)."""
    document = get_document(database, slug)  # published only
    chosen = next((r for r in document.rows if r.number == row), None)
    if chosen is None:
        raise NotFound("Paragraph not found")
    original = language_name(document.meta.language_original)
    translation = language_name(document.meta.language_translation)
    choices = [(f"original:{p.id}", f"Original ({original})") for p in chosen.original] + [
        (f"translation:{p.id}", f"Translation ({translation})") for p in chosen.translation]
    form = {"paragraph": choices[0][0] if choices else "", "quoted": "", "suggestion": "",
            "email": ""}
    return render(request, "report.html", meta=document.meta, form=form, choices=choices,
                  message=None, row=chosen)
