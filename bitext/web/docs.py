"""FastAPI's Swagger UI at ``/docs``, with a CSP that admits exactly its own scripts.

The page loads Swagger UI from its CDN and runs one inline script; rather than loosen the
site-wide policy, this page gets a policy naming the CDN and the hash of that script.
"""

import base64
import hashlib
import re

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

SWAGGER_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(html: str) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    page = get_swagger_ui_html(openapi_url=openapi_url, title=title)
    html = bytes(page.body).decode()
    policy = (
        f"default-src 'self'; script-src 'self' {SWAGGER_CDN} {' '.join(_script_hashes(html))}; "
        f"style-src 'self' 'unsafe-inline' {SWAGGER_CDN}; img-src 'self' data: https:; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
