"""HTTP niceties every page gets: HEAD answered like GET, and validators with 304s.

``HeadAsGet`` runs a HEAD request as the GET it stands for and drops the body, so every
page answers HEAD with the GET's status and headers (FastAPI routes declare GET only).

``ConditionalGet`` gives whole (non-streamed) HTML and JSON answers to GET a weak ETag, a
hash of the body, and answers ``If-None-Match`` with 304 Not Modified. A page that sets
``Last-Modified`` (the reader) also answers ``If-Modified-Since`` when the request carries
no cookie (signed-in pages differ by who asks, and have no-store anyway). An answer that
already has its ETag (a reader's page from ``page_cache``, keyed on what it is made from)
passes through untouched: it answered ``If-None-Match`` itself.
"""

import hashlib
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

VALIDATED_TYPES = ("text/html", "application/json")


class HeadAsGet:
    """Pure ASGI middleware: HEAD becomes GET inside, the body never leaves."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def etag_matches(header: str, etag: str) -> bool:
    """RFC 9110 weak comparison: ``W/"x"`` and ``"x"`` match; ``*`` matches anything."""
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


def not_modified_since(header: str, last_modified: str) -> bool:
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False


def is_fresh(request: Headers, etag: str, last_modified: str | None, *,
             same_for_everyone: bool = False) -> bool:
    """Whether the browser's copy is this answer: ``If-None-Match`` wins when sent; else
    ``If-Modified-Since``, unless the request carries a cookie and the answer may differ
    by who asks (``same_for_everyone`` says it cannot)."""
    if "if-none-match" in request:
        return etag_matches(request["if-none-match"], etag)
    since = request.get("if-modified-since")
    if since and last_modified and (same_for_everyone or "cookie" not in request):
        return not_modified_since(since, last_modified)
    return False


class ConditionalGet:
    """Pure ASGI middleware: ETag on whole HTML/JSON answers to GET, 304 when unchanged."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def buffered_send(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                kind = headers.get("content-type", "").split(";")[0].strip()
                # Only whole answers (a Content-Length: not streams) of pages and JSON.
                if (message["status"] != 200 or kind not in VALIDATED_TYPES
                        or "content-length" not in headers or "etag" in headers):
                    passing = True
                    await send(message)
                else:
                    start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)  # e.g. the test client's template info
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers = MutableHeaders(scope=start)
            headers["ETag"] = etag
            if is_fresh(request_headers, etag, headers.get("last-modified")):
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k, v) for k, v in start["headers"]
                                        if k.lower() not in (b"content-length", b"content-type")]})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered_send)
