"""The app as uvicorn's worker processes build it: ``bitext serve --workers N`` puts the
library's URL and the settings in the environment, and each worker opens its own library
(a database connection pool cannot cross a fork)."""

from fastapi import FastAPI

from bitext.services.library import open_library
from bitext.settings import Settings
from bitext.web.app import create_app


def app_from_environment() -> FastAPI:
    """uvicorn's factory: settings from BITEXT_* variables, the library they name."""
    settings = Settings()
    return create_app(open_library(settings.resolved_database_url()), settings=settings)
