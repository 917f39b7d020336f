"""A work's pages: its versions and translations, the diff of two versions, and two or
three translations of one version side by side. Drafts are shown as on a document's own
page: to editors only."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from bitext.services.work_reading import compare_translations, version_diff, work_view
from bitext.web.dependencies import AccountDep, LibraryDep, render
from bitext.web.routes.params import Slug
from bitext.web.views.editorial import statuses_for

router = APIRouter(include_in_schema=False)

Label = Annotated[str, Query(min_length=1, max_length=100)]


@router.get("/works/{work}", response_class=HTMLResponse, name="work")
def work_page(request: Request, database: LibraryDep, account: AccountDep, work: Slug):
    view = work_view(database, work, statuses_for(account))
    return render(request, "work.html", work=view)


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
