"""The library page: filters, facets and pagination over published documents."""

from dataclasses import dataclass
from urllib.parse import urlencode

from bitext.errors import InputError
from bitext.services.library import Library
from bitext.services.reading import (
    PUBLIC_STATUSES,
    DocumentFilters,
    DocumentPage,
    FacetValues,
    facet_values,
    list_documents,
)

MAX_PER_PAGE = 100
PAGER_WINDOW = 2  # page numbers shown either side of the current one


def parse_filters(tag: str | None, source: str | None, year: str | int | None) -> DocumentFilters:
    """Filters from a GET form, where "All" submits an empty string."""
    if isinstance(year, str):
        year = year.strip()
        if year and not (year.isascii() and year.isdigit() and len(year) <= 4):
            raise InputError("The year must be a number such as 2024.")
        year = int(year) if year else None
    return DocumentFilters(tag=(tag or "").strip() or None,
                           source=(source or "").strip() or None, year=year or None)


def library_query(filters: DocumentFilters, *, page: int = 1, per_page: int | None = None,
                  **changes: object) -> str:
    """``?tag=…&page=2`` for links that keep the other filters (``changes`` overrides)."""
    params: dict[str, object] = {"tag": filters.tag, "source": filters.source,
                                 "year": filters.year}
    params.update(changes)
    if per_page:
        params["per_page"] = per_page
    if page > 1:
        params["page"] = page
    pairs = [(k, v) for k, v in params.items() if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""


def pager(current: int, pages: int) -> list[int | None]:
    """Page numbers to link, with ``None`` where a gap is shown: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, pages, *range(current - PAGER_WINDOW, current + PAGER_WINDOW + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    result: list[int | None] = []
    for number in numbers:
        if result and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result


@dataclass(frozen=True)
class LibraryPage:
    result: DocumentPage
    facets: FacetValues
    filters: DocumentFilters
    per_page_param: int | None  # only when the reader chose one, to keep it in links

    @property
    def filtered(self) -> bool:
        return any((self.filters.tag, self.filters.source, self.filters.year))

    def query(self, page: int = 1, **changes: object) -> str:
        return library_query(self.filters, page=page, per_page=self.per_page_param, **changes)

    @property
    def pager(self) -> list[int | None]:
        return pager(self.result.page, self.result.pages)


def library_page(database: Library, filters: DocumentFilters, *, page: int,
                 per_page: int | None, default_per_page: int,
                 statuses: tuple[str, ...] = PUBLIC_STATUSES) -> LibraryPage:
    """``statuses``: editors see drafts and withdrawn documents too (marked)."""
    result = list_documents(database, filters, page=page, per_page=per_page or default_per_page,
                            statuses=statuses)
    return LibraryPage(result, facet_values(database), filters, per_page)
