"""Rendered reader pages kept in memory, so a page nobody changed costs no render and no gzip.

A page is stored under a key naming everything it is made from (the document's version
token from ``reading.document_version``, the view, the site's base URL, the code that
renders it), so any write to the document changes the key: nothing is ever invalidated by
hand, and a stale entry is simply never asked for again and ages out of the LRU. Each
entry keeps the page as sent and gzip-compressed, and its ETag is derived from the key:
a browser's revalidation is answered 304 from the key alone.

Only pages that carry nothing of the person asking may be stored (anonymous readers,
no notice): the CSRF cookie is added to the response by ``FormGuard``, not the body.
Every worker process keeps its own cache; the version token keeps them all correct.
A kept page is usually answered before routing (``cached_reader``), its version token
remembered until something is committed (``services.page_versions``).
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.types import Send

from bitext import __version__
from bitext.web.conditional import is_fresh

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
GZIP_LEVEL = 9  # paid once per page version, so the smallest output wins
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # bitext/
CODE_SUFFIXES = (".py", ".html", ".js", ".css", ".svg")


@cache
def code_fingerprint() -> str:
    """A hash of the package's code, templates and static files, so a new release (or an
    edited template) never answers 304 with a page the old code rendered."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in CODE_SUFFIXES:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    gzipped: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]  # e.g. Last-Modified, kept with the page

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped)

    def answer(self, request: Headers) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers) for a request with these headers: 304 when the browser
        holds this version, else the page, gzipped when accepted."""
        headers = {**dict(self.headers), "ETag": self.etag, "Vary": "Accept-Encoding",
                   "Cache-Control": "no-cache"}  # always revalidate: a 304 costs nothing
        if is_fresh(request, self.etag, headers.get("Last-Modified"),
                    same_for_everyone=True):  # a stored page carries nothing of who asks
            return 304, b"", headers
        headers["Content-Type"] = "text/html; charset=utf-8"
        if accepts_gzip(request.get("accept-encoding", "")):
            return 200, self.gzipped, {**headers, "Content-Encoding": "gzip"}
        return 200, self.body, headers

    def response(self, request: Request) -> Response:
        status, body, headers = self.answer(request.headers)
        return Response(body, status_code=status, headers=headers)

    async def send(self, request: Headers, send: Send) -> None:
        """The same answer straight to ASGI ``send``, with no Response to build."""
        status, body, headers = self.answer(request)
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in headers.items()]
        if status != 304:
            raw.append((b"content-length", str(len(body)).encode("latin-1")))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def accepts_gzip(header: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``q=0`` refuses it)."""
    for item in header.lower().split(","):
        name, _, params = item.partition(";")
        if name.strip() in ("gzip", "*"):
            quality = params.strip()
            if not quality.startswith("q="):
                return True
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
    return False


def page_key(*parts: str) -> str:
    """The cache key and ETag seed of a page made from ``parts`` and this code."""
    return hashlib.sha256("\x1f".join((code_fingerprint(), *parts)).encode()).hexdigest()[:32]


class PageCache:
    """A thread-safe LRU of rendered pages, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Lock] = {}  # keys being rendered now

    def get(self, key: str) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def get_or_render(self, key: str, render: Callable[[], tuple[bytes, dict[str, str]]]
                      ) -> CachedPage:
        """The page under ``key``; on a miss ``render()`` gives (body, headers), and runs
        once however many requests wait for it (the others take its result)."""
        page = self.get(key)
        if page is not None:
            return page
        with self._lock:
            rendering = self._rendering.setdefault(key, threading.Lock())
        with rendering:
            try:
                page = self.get(key)
                return page if page is not None else self.put(key, *render())
            finally:
                with self._lock:
                    self._rendering.pop(key, None)

    def put(self, key: str, body: bytes, headers: dict[str, str]) -> CachedPage:
        """Store a rendered page (compressed here, once) and return it."""
        page = CachedPage(body, gzip.compress(body, GZIP_LEVEL, mtime=0), f'W/"{key}"',
                          tuple(headers.items()))
        if page.size > self.max_bytes:
            return page
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes -= old.size if old else 0
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= evicted.size
        return page

    def clear(self) -> None:
        """Forget every page (when what renders them changed under a running app)."""
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)
