"""The web application: ``create_app`` builds it, puts the library, settings, templates,
session guard, page cache and import runner on its state, adds the middleware and mounts,
and includes the routers.

The routes live in ``bitext.web.routes`` (one ``APIRouter`` per area; a few routers still
sit in view modules) and take what they use through ``bitext.web.dependencies``. They are
thin: parse the query, call a service (through a view module), render a template or a
pydantic model. Errors of any kind go through ``bitext.web.errors``.
"""

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bitext import __version__
from bitext.services.import_jobs import Runner
from bitext.services.library import Library
from bitext.services.page_versions import DocumentVersions
from bitext.settings import Settings
from bitext.web.cached_reader import CachedReaderPages
from bitext.web.conditional import ConditionalGet, HeadAsGet
from bitext.web.docs import DOCS_ASSETS_PATH, docs_assets
from bitext.web.errors import install_error_handlers
from bitext.web.headers import SecurityHeaders
from bitext.web.page_cache import PageCache
from bitext.web.routes import accounts as accounts_routes
from bitext.web.routes import api as api_routes
from bitext.web.routes import cite as cite_routes
from bitext.web.routes import editorial as editorial_routes
from bitext.web.routes import feeds as feeds_routes
from bitext.web.routes import importing as importing_routes
from bitext.web.routes import reading as reading_routes
from bitext.web.routes import works as works_routes
from bitext.web.security import FormGuard, Guard
from bitext.web.static_files import FingerprintedStatic
from bitext.web.templating import STATIC_DIR, make_templates
from bitext.web.views import document as document_views
from bitext.web.views import glossary as glossary_views
from bitext.web.views import qa as qa_views
from bitext.web.views import search as search_views

AREAS = (reading_routes, accounts_routes, editorial_routes, cite_routes, api_routes,
         feeds_routes, search_views, document_views, glossary_views, qa_views,
         importing_routes, works_routes)
"""Each area's module, whose ``router`` the app includes, in the order routes match."""


def create_app(database: Library, *, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    templates = make_templates()
    app = FastAPI(
        title="bitext",
        version=__version__,
        description="Read-only API of a library of translated documents.",
        docs_url=None,  # served by routes.api with its own Content-Security-Policy
        redoc_url=None,
    )
    app.state.database = database  # routes take these through bitext.web.dependencies
    app.state.settings = settings
    app.state.templates = templates
    app.state.page_cache = PageCache()  # readers' pages, per document version
    app.state.document_versions = DocumentVersions(database)  # read again after a commit
    app.state.guard = guard = Guard.from_settings(settings)
    # Imports the editors queue run here; its thread starts with the first one.
    app.state.import_runner = Runner(database, settings.import_job_heartbeat_timeout_s)
    renderer = install_error_handlers(app, templates)
    app.add_middleware(ConditionalGet)  # innermost: ETags hash the page as rendered
    app.add_middleware(CachedReaderPages)  # a kept reader's page, before any routing
    app.add_middleware(FormGuard, guard=guard, reject=renderer.render)
    # A request naming another host is refused (400) before anything builds a link from it.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts_allowed())
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(HeadAsGet)  # every GET page answers HEAD too
    app.add_middleware(SecurityHeaders)  # outermost: its headers reach every response
    app.mount("/static", FingerprintedStatic(STATIC_DIR), name="static")
    app.mount(DOCS_ASSETS_PATH, docs_assets(), name="docs_assets")
    for area in AREAS:
        app.include_router(area.router)
    return app

