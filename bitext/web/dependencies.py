"""What a route may ask for: the library, the settings, the session guard, the reader's
account, an editor, the cache of rendered pages and their documents' versions, the runner
of queued imports.

Every router takes these through ``Depends`` instead of reaching into ``request.app.state``,
so a route's signature says what it uses and ``create_app`` is the only place that puts
things on the application. Those that only read ``app.state`` are ``async``: FastAPI runs a
plain ``def`` dependency in its thread pool, a hop that cost more than the lookup.
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bitext.errors import NotFound
from bitext.services.accounts import Account
from bitext.services.import_jobs import Runner
from bitext.services.library import Library
from bitext.services.page_versions import DocumentVersions
from bitext.settings import Settings
from bitext.web.page_cache import PageCache
from bitext.web.security import Guard, current_account


async def library_of(request: Request) -> Library:
    return request.app.state.database


async def settings_of(request: Request) -> Settings:
    return request.app.state.settings


async def page_cache_of(request: Request) -> PageCache:
    return request.app.state.page_cache


async def document_versions_of(request: Request) -> DocumentVersions:
    return request.app.state.document_versions


async def guard_of(request: Request) -> Guard:
    return request.app.state.guard


async def import_runner_of(request: Request) -> Runner:
    return request.app.state.import_runner


def require_editor(request: Request) -> Account:
    """The signed-in editor; anyone else gets the same 404 as a missing page."""
    account = current_account(request)
    if account is None:
        raise NotFound("Page not found")
    return account


LibraryDep = Annotated[Library, Depends(library_of)]
SettingsDep = Annotated[Settings, Depends(settings_of)]
GuardDep = Annotated[Guard, Depends(guard_of)]
AccountDep = Annotated[Account | None, Depends(current_account)]
EditorDep = Annotated[Account, Depends(require_editor)]
PageCacheDep = Annotated[PageCache, Depends(page_cache_of)]
DocumentVersionsDep = Annotated[DocumentVersions, Depends(document_versions_of)]
ImportRunnerDep = Annotated[Runner, Depends(import_runner_of)]


def render(request: Request, template: str, status_code: int = 200, /,
           **context) -> HTMLResponse:
    """The named template with ``context``, through the application's Jinja environment."""
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    """The answer to a successful form post: go and GET the page that shows the result."""
    return RedirectResponse(url, status_code=303)
