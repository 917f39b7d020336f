"""The Jinja2 environment: package-relative templates, autoescape always on."""

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from bitext.web.security import csrf_field, current_account
from bitext.web.static_files import fingerprinted, fingerprints
from bitext.web.views.languages import language_name

WEB_DIR = Path(__file__).parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

METADATA_LABELS = {
    "slug": "Slug (the address: lowercase letters, digits, '-')",
    "title_original": "Title (original)", "title_translation": "Title (translation)",
    "language_original": "Language of the original (e.g. zh-Hans)",
    "language_translation": "Language of the translation (e.g. en)",
    "source": "Source (original)", "source_translation": "Source (translation)",
    "date": "Date of the original (YYYY-MM-DD)",
    "version_date": "Date of the version translated, if later (YYYY-MM-DD)",
    "translator": "Translator", "publisher": "Publisher", "summary": "Summary",
    "url_original": "Address of the original (http or https)", "licence": "Licence",
}
"""What a metadata form calls each field (the import form and the editor's form)."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def long_date(value: dt.date | None) -> str:
    """``2 January 2024``; locale-independent, unlike ``strftime('%B')``."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def timestamp(value: dt.datetime | None) -> str:
    """``2024-01-02 15:04 UTC`` (stored times are UTC)."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def path_for(request: Request, name: str, **params: object) -> str:
    """A route's path (with the app's root path), for links inside the site."""
    return request.url_for(name, **params).path


def base_url_of(request: Request) -> str:
    """The site's absolute address with any root path, for links that leave the site
    (citations, feeds, sitemaps): the ``public_base_url`` setting, else the address the
    request came to, whose host ``TrustedHostMiddleware`` has checked."""
    return request.app.state.settings.public_base_url or str(request.base_url).rstrip("/")


def absolute_url_for(request: Request, name: str, **params: object) -> str:
    """A route's full URL, for share links and printed permalinks."""
    return base_url_of(request) + str(request.app.url_path_for(name, **params))


def make_templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    digests = fingerprints(STATIC_DIR)

    def static_path(request: Request, name: str) -> str:
        """The file's fingerprinted name: cached for a year, renamed when it changes."""
        return path_for(request, "static",
                        path=fingerprinted(name, digests[name]) if name in digests else name)

    environment.globals.update(
        path_for=path_for, absolute_url_for=absolute_url_for, static_path=static_path,
        csrf_field=csrf_field, current_account=current_account, metadata_labels=METADATA_LABELS,
    )
    environment.filters["long_date"] = long_date
    environment.filters["timestamp"] = timestamp
    environment.filters["language_name"] = language_name  # "English", not "en"
    return Jinja2Templates(env=environment)
