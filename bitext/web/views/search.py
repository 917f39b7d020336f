"""Search and concordance: the JSON API, the HTML pages and the CSV download.

Routes take the library and settings as dependencies. The services return each hit's
document slug and paragraph row; the links are made here, with the application's root path.
Expected failures (a query without words, a bad filter) become a 400 with one message, as
JSON for the API and as the page itself (with the form) for HTML; user input is never
echoed into an error message.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from bitext.errors import BitextError
from bitext.services.search import (
    CONCORDANCE_SORTS,
    MAX_PER_PAGE,
    Concordance,
    SearchFilters,
    SearchResults,
    TextLimits,
    concordance,
    concordance_csv_chunks,
    filters_from_text,
    plain,
    search,
)
from bitext.web.dependencies import LibraryDep, SettingsDep, render
from bitext.web.templating import absolute_url_for, path_for

router = APIRouter()

# Shown on an empty search page: what each kind of query does.
SEARCH_EXAMPLES = (
    ('"national security" 安全', "an English phrase and a Chinese word: aligned pairs with "
                                 "each on its own side"),
    ("人民", "a Chinese word, in simplified or traditional characters"),
    ("rights", "an English word and its other forms (right, rights)"),
    ('"rule of law"', "a phrase: the words next to each other, in this order"),
)

Text = Annotated[str, Query()]
Flag = Annotated[bool, Query()]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]


@dataclass
class TypedFilters:
    """The filters every search and concordance route takes, as typed (query parameters):
    declared once, parsed by ``parsed`` inside each route so that a bad one is reported
    the route's own way."""

    source: Text = ""
    author: Text = ""
    tag: Text = ""
    date_from: Text = ""
    date_to: Text = ""
    side: Text = ""
    document: Text = ""
    exact: Flag = False

    def parsed(self) -> SearchFilters:
        return filters_from_text(self.source, self.author, self.tag, self.date_from,
                                 self.date_to, self.side, document=self.document,
                                 exact=self.exact)

    def form(self) -> dict[str, str]:
        """The values to show again in the page's form."""
        return {"source": self.source, "author": self.author, "tag": self.tag,
                "date_from": self.date_from, "date_to": self.date_to, "side": self.side,
                "document": self.document, "exact": "1" if self.exact else ""}


FiltersDep = Annotated[TypedFilters, Depends()]
Answer = TypeVar("Answer", SearchResults, Concordance)


def row_path(request: Request, slug: str, row: int | None) -> str:
    """The reader's address of a paragraph row (of the document when ``row`` is None)."""
    return path_for(request, "document", slug=slug) + (f"#p{row}" if row else "")


def _row_url(request: Request, slug: str, row: int | None) -> str:
    return absolute_url_for(request, "document", slug=slug) + (f"#p{row}" if row else "")


def _with_urls(request: Request, data: dict, key: str) -> dict:
    """API results with each item's ``url`` (its row in the reader, under the root path)."""
    for item in data[key]:
        item["url"] = row_path(request, item["slug"], item["row"])
    return data


@router.get("/api/search", name="api_search", tags=["search"])
def api_search(
    request: Request, library: LibraryDep, settings: SettingsDep, typed: FiltersDep,
    q: Text = "", expand: Flag = False, page: Page = 1, per_page: PerPage = 20,
):
    """Sentences matching ``q`` in either language, best first, with the aligned sentence
    in the other language and a link (``url``) to the paragraph. Terms in both languages
    find aligned pairs (each side its terms); ``exact`` matches words as written (no
    stemming); ``document`` (a slug) searches one document; ``expand``: for a glossary
    term with an expansion, the best passages using each of its parts (``expansions``)."""
    filters = typed.parsed()
    results = search(library, q, filters, page=page, per_page=per_page,
                     limits=TextLimits.from_settings(settings), include_expansions=expand)
    data = _with_urls(request, plain(results), "hits")
    for expansion in data["expansions"]:
        _with_urls(request, expansion, "hits")
    return data


@router.get("/api/concordance", name="api_concordance", tags=["search"])
def api_concordance(
    request: Request, library: LibraryDep, settings: SettingsDep, typed: FiltersDep,
    q: Text = "", expand: Flag = False, sort: Text = "date", page: Page = 1,
    per_page: PerPage = 100,
):
    """Every occurrence of ``q`` (up to a limit: ``truncated`` says when there were more)
    with its left and right context and the start of its aligned sentence; with
    ``expand``, a glossary term's expansion's parts too (``expanded``).
    Errors are rendered by the application's one error handler."""
    filters = typed.parsed()
    result = concordance(library, q, filters, sort=sort, page=page, per_page=per_page,
                         limits=TextLimits.from_settings(settings),
                         include_expansions=expand)
    return _with_urls(request, plain(result), "lines")


@router.get("/concordance.csv", name="concordance_csv", include_in_schema=False)
def concordance_download(
    request: Request, library: LibraryDep, settings: SettingsDep, typed: FiltersDep,
    q: Text = "", expand: Flag = False, sort: Text = "date",
):
    try:
        filters = typed.parsed()
        result = concordance(library, q, filters, sort=sort, per_page=0,
                             limits=TextLimits.from_settings(settings),
                             include_expansions=expand)
    except BitextError as error:
        return Response(error.message + "\n", status_code=error.status, media_type="text/plain")
    return StreamingResponse(
        concordance_csv_chunks(result, lambda slug, row: _row_url(request, slug, row)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="concordance.csv"'},
    )


def _answered(q: str, run: Callable[[], Answer]) -> tuple[Answer | None, BitextError | None]:
    """A page's answer to its query: nothing for an empty box, else what ``run`` returns or
    the refusal it raised (shown in the page, with the form, at the refusal's status)."""
    if not q.strip():
        return None, None
    try:
        return run(), None
    except BitextError as failure:
        return None, failure


@router.get("/search", response_class=HTMLResponse, name="search", include_in_schema=False)
def search_page(
    request: Request, library: LibraryDep, settings: SettingsDep, typed: FiltersDep,
    q: Text = "", group: Flag = False, expand: Flag = False, page: Page = 1,
):
    form = {"q": q, **typed.form(), "group": "1" if group else "",
            "expand": "1" if expand else ""}
    results, error = _answered(q, lambda: search(
        library, q, typed.parsed(), page=page, limits=TextLimits.from_settings(settings),
        include_expansions=expand))
    return render(
        request, "search.html", error.status if error else 200,
        form=form, results=results, error=error.message if error else None,
        row_path=row_path, examples=SEARCH_EXAMPLES,
    )


@router.get("/concordance", response_class=HTMLResponse, name="concordance",
            include_in_schema=False)
def concordance_page(
    request: Request, library: LibraryDep, settings: SettingsDep, typed: FiltersDep,
    q: Text = "", expand: Flag = False, sort: Text = "date", page: Page = 1,
):
    form = {"q": q, **typed.form(), "expand": "1" if expand else "", "sort": sort}
    result, error = _answered(q, lambda: concordance(
        library, q, typed.parsed(), sort=sort, page=page, per_page=100,
        limits=TextLimits.from_settings(settings), include_expansions=expand))
    return render(
        request, "concordance.html", error.status if error else 200,
        form=form, result=result, sorts=CONCORDANCE_SORTS,
        error=error.message if error else None, row_path=row_path,
    )
