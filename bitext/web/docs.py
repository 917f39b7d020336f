"""FastAPI's Swagger UI at ``/docs``, its scripts and styles served by the site itself.

The Swagger UI files come from the ``fastapi-offline`` package (its ``static`` folder), so
the page works offline and tells no CDN who reads it. The page runs one inline script;
rather than loosen the site-wide policy, it gets a policy naming that script's hash.
"""

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
DOCS_ASSETS_PATH = "/docs-assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_assets() -> StaticFiles:
    """The Swagger UI bundle, stylesheet and icon, to mount at ``DOCS_ASSETS_PATH``."""
    return StaticFiles(directory=DOCS_ASSETS_DIR)


def _script_hashes(html: str) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def swagger_page(openapi_url: str, title: str, assets_path: str = DOCS_ASSETS_PATH) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=openapi_url, title=title,
        swagger_js_url=f"{assets_path}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets_path}/swagger-ui.css",
        swagger_favicon_url=f"{assets_path}/favicon.png",
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
    )
    html = bytes(page.body).decode()
    policy = (
        f"default-src 'self'; script-src 'self' {' '.join(_script_hashes(html))}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
