"""A work's pages: its versions and translations, the diff of two versions, and two or
three translations of one version side by side. Drafts are shown as on a document's own
page: to editors only."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bitext.errors import InputError, NotFound
from bitext.services.work_in_force import text_in_force
from bitext.services.work_reading import (
    compare_translations,
    version_diff,
    work_view,
)
from bitext.services.works import parse_date
from bitext.web.dependencies import AccountDep, LibraryDep, render
from bitext.web.routes.params import Slug
from bitext.web.templating import path_for
from bitext.web.views.editorial import statuses_for

router = APIRouter(include_in_schema=False)

VersionLabel = Annotated[str, Path(min_length=1, max_length=100)]


@router.get("/works/{work}", response_class=HTMLResponse, name="work")
def work_page(request: Request, database: LibraryDep, account: AccountDep, work: Slug):
    view = work_view(database, work, statuses_for(account))
    return render(request, "work.html", work=view, date_error=None, date_asked=None)


@router.get("/works/{work}/in-force", response_class=HTMLResponse, name="work_in_force")
def work_in_force(request: Request, database: LibraryDep, account: AccountDep, work: Slug,
                  date: Annotated[str, Query(min_length=1, max_length=40)]):
    """The text as in force on ``date``; a date the work cannot answer for (before its
    first version, or not a date) is the work page again with that one line (400)."""
    statuses = statuses_for(account)
    try:
        on = parse_date(date)
        assert on is not None  # min_length=1
        shown = text_in_force(database, work, on, statuses)
    except InputError as error:
        return render(request, "work.html", 400, work=work_view(database, work, statuses),
                      date_error=str(error), date_asked=date)
    return render(request, "work_in_force.html", shown=shown, work=shown.work)


@router.get("/works/{work}/diff", response_class=HTMLResponse, name="work_diff")
def work_diff(request: Request, database: LibraryDep, account: AccountDep, work: Slug,
              old: Annotated[str, Query(alias="from", min_length=1, max_length=100)],
              new: Annotated[str, Query(alias="to", min_length=1, max_length=100)]):
    diff = version_diff(database, work, old, new, statuses_for(account))
    return render(request, "work_diff.html", diff=diff, work=diff.work)


@router.get("/works/{work}/compare", response_class=HTMLResponse, name="work_compare")
def work_compare(request: Request, database: LibraryDep, account: AccountDep, work: Slug,
                 translations: Annotated[str, Query(min_length=1, max_length=700)],
                 differ: Annotated[bool, Query()] = False):
    comparison = compare_translations(database, work, translations.split(","),
                                      statuses_for(account))
    return render(request, "work_compare.html", comparison=comparison,
                  work=comparison.work, only_differing=differ,
                  translation_list=translations)


@router.get("/works/{work}/{version}/{slug}", name="work_version_document")
def version_document(request: Request, database: LibraryDep, account: AccountDep,
                     work: Slug, version: VersionLabel, slug: Slug):
    """The permalink a citation gives, naming the work's version: the document's own page
    (a paragraph's ``#p3`` stays on the URL), when the document translates that version
    and the visitor may see it (a draft's place is not told to readers)."""
    versions = work_view(database, work, statuses_for(account)).versions
    if not any(v.label == version and any(t.slug == slug for t in v.translations)
               for v in versions):
        raise NotFound(f"{slug!r} is not a translation of version {version!r} of {work!r}")
    return RedirectResponse(path_for(request, "document", slug=slug), status_code=301)
