"""An anonymous reader's document page, answered from the page cache before routing.

A kept page (``page_cache``) is the same bytes for every anonymous reader, so once its
document's version is known without a query (``DocumentVersions.known``: nothing was
committed since it was read), answering needs none of the routing, dependencies and thread
pool hops the route takes, which made a cached page cost several times the trivial route
(bench/web.py). Everything else goes on to the route, which renders and keeps pages as
before: a request that may be an editor's (a session cookie), a query other than ``view``
(a notice is the reader's own), a page not kept yet, a version to read after a commit.

Pure ASGI, inside the host check and ``FormGuard`` (an anonymous reader still gets its
CSRF cookie there, in a header), outside ``ConditionalGet`` (a kept page has its ETag);
HEAD arrives as GET through ``HeadAsGet``, as it does for every page.
"""

import re
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from bitext.web.page_cache import CachedPage
from bitext.web.views.document import anonymous_page_key, chosen_view

DOCUMENT_PATH = re.compile(r"/documents/([^/]+)")  # the ``document`` route's path
SLUG_MAX_CHARS = 200  # as the route's ``Slug``: a longer one is the route's 422
VIEW_MAX_CHARS = 20  # as the route's ``view``


class CachedReaderPages:
    """Pure ASGI middleware: a kept page for an anonymous GET of ``/documents/{slug}``."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            page = kept_page(scope)
            if page is not None:
                await page.send(Headers(scope=scope), send)
                return
        await self.app(scope, receive, send)


def kept_page(scope: Scope) -> CachedPage | None:
    """The page the route would answer from the cache, if it can be known this cheaply."""
    path = scope["path"].removeprefix(scope.get("root_path", ""))
    match = DOCUMENT_PATH.fullmatch(path)
    if match is None or len(match[1]) > SLUG_MAX_CHARS:
        return None
    only_view, view = view_alone(scope["query_string"])
    if not only_view:
        return None
    request = Request(scope)
    state = request.app.state
    if state.guard.session_token(request) is not None:  # perhaps an editor: the route decides
        return None
    slug = match[1]
    version = state.document_versions.known(slug)
    if version is None:
        return None
    return state.page_cache.get(anonymous_page_key(request, slug, version, chosen_view(view)))


def view_alone(query: bytes) -> tuple[bool, str | None]:
    """(True, the view) when the query holds nothing but at most one valid-length ``view``."""
    if not query:
        return True, None
    fields = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(fields) != 1 or fields[0][0] != "view" or len(fields[0][1]) > VIEW_MAX_CHARS:
        return False, None
    return True, fields[0][1]
