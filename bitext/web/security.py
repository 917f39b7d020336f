"""Sessions, CSRF tokens and the guard every POST passes before a route sees it.

- The session cookie holds the server-side session token (``accounts.log_in``), signed with
  itsdangerous so a tampered or forged cookie is dropped before any database lookup. Logout
  deletes the server row, so a replayed cookie is worthless.
- CSRF: a random ``csrf`` cookie plus a hidden form field holding a signed, timestamped copy
  of it (double submit). Both are rotated at login and logout, so a form loaded before is
  stale. A form of another browser carries another cookie's value and fails too.
- ``FormGuard`` (pure ASGI, outside the routes) refuses, for every unsafe method: a
  cross-site ``Sec-Fetch-Site`` or foreign ``Origin`` (403), a body over the limit (413,
  counted before any parsing), and a body that is not a URL-encoded form carrying the right
  CSRF token (403). A route added later is covered without doing anything. The one
  exception is a signed-in editor's file upload (``multipart/form-data``): its limit is
  the import's (two files and the form), told in a line naming the setting, and its CSRF
  field is read by the same multipart parser the route uses, before the route runs.
- Cookies are ``HttpOnly; SameSite=Lax``; ``Secure`` with the ``__Host-`` prefix on HTTPS
  (or when the ``https_cookies`` setting says the site is HTTPS behind a proxy).

Why this is ours and not a package (compared with the packages' documentation, 2026-12):

- ``starlette-csrf`` checks a token sent in a request *header* only. Our forms are plain
  HTML that work without JavaScript, so no form could pass; it also has no origin check,
  no body limit and no rotation at login.
- ``asgi-csrf`` (Datasette's) reads a hidden form field, as we do, but lets a request with
  no cookies at all through unless its path is listed in ``always_protect``; our anonymous
  error-report form and the login form would each need listing, and a route added later
  would be open by default. It parses anyone's multipart bodies (we take them only from
  signed-in editors, with the import's limit); it counts no body size before parsing and
  checks no ``Origin``/``Sec-Fetch-Site``. Adopting it
  would keep all of that here and add a second body reader in front of ours.
- ``starsessions`` stores session *data* (in a cookie or Redis) and is loaded with ``await``
  in each view. Our session is one opaque token whose row (idle timeout, logout, revoke,
  disabled accounts) lives in the library's own database through ``services.accounts``; we
  would still write that store, and gain an async load step in sync routes.

What is hand-written here is small: the signing is itsdangerous's, the comparison
``hmac.compare_digest``, the cookie writing Starlette's. Each refusal has a test in
``tests/test_web_security.py``.
"""

import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bitext.errors import BitextError
from bitext.services.accounts import SESSION_LIFETIME, Account, account_for
from bitext.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "bitext_session"
CSRF_COOKIE = "bitext_csrf"
CSRF_FIELD = "csrf"
SECURE_PREFIX = "__Host-"
FORM_MAX_FIELDS = 200
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
UPLOAD_MAX_FILES = 2
UPLOAD_FORM_BYTES = 1_000_000  # an upload's fields and multipart framing, beyond its files

CSRF_MESSAGE = (
    "This form has expired or did not come from this site. Go back, reload the page and "
    "send it again."
)
CROSS_SITE_MESSAGE = "Forms can only be sent from this site."
TOO_LARGE_MESSAGE = "What you sent is too large."


def load_secret_key(settings: Settings) -> str:
    """The signing key: the setting, else the key file (created once, mode 0600)."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
        if len(key) < 32:
            raise BitextError("the secret_key setting must be at least 32 characters")
        return key
    path = settings.secret_key_file or settings.data_dir / "secret_key"
    return _read_or_create_key(Path(path))


def _read_or_create_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise BitextError(f"{path} must be readable by its owner only (chmod 600 it)")
    key = path.read_text().strip()
    if len(key) < 32:
        raise BitextError(f"{path} holds no usable key (at least 32 characters)")
    return key


@dataclass(frozen=True)
class Guard:
    """The keys and limits; kept in ``app.state.guard``."""

    sessions: URLSafeTimedSerializer
    csrf: URLSafeTimedSerializer
    https_cookies: bool
    csrf_max_age_s: int
    max_body_bytes: int
    max_body_bytes_anonymous: int
    session_idle_timeout_s: int
    import_max_bytes: int = 20_000_000

    @property
    def max_upload_bytes(self) -> int:
        """An upload's body: two files at the import limit, and the form around them."""
        return UPLOAD_MAX_FILES * self.import_max_bytes + UPLOAD_FORM_BYTES

    def upload_too_large(self) -> str:
        return (f"The upload is too large: each file may have at most "
                f"{self.import_max_bytes:,} bytes (setting import_max_bytes).")

    @classmethod
    def from_settings(cls, settings: Settings) -> "Guard":
        key = load_secret_key(settings)
        return cls(
            sessions=URLSafeTimedSerializer(key, salt="bitext.session"),
            csrf=URLSafeTimedSerializer(key, salt="bitext.csrf"),
            https_cookies=settings.https_cookies,
            csrf_max_age_s=settings.csrf_token_max_age_s,
            max_body_bytes=settings.max_body_bytes,
            max_body_bytes_anonymous=settings.max_body_bytes_anonymous,
            session_idle_timeout_s=settings.session_idle_timeout_s,
            import_max_bytes=settings.import_max_bytes,
        )

    # ---- cookies ---------------------------------------------------------------------

    def is_secure(self, connection: HTTPConnection) -> bool:
        return self.https_cookies or connection.url.scheme == "https"

    def cookie_name(self, connection: HTTPConnection, base: str) -> str:
        return SECURE_PREFIX + base if self.is_secure(connection) else base

    def set_cookie(self, connection: HTTPConnection, response: Response, base: str, value: str,
                   max_age_s: int | None) -> None:
        response.set_cookie(
            self.cookie_name(connection, base), value, max_age=max_age_s, path="/",
            secure=self.is_secure(connection), httponly=True, samesite="lax",
        )

    def delete_cookie(self, connection: HTTPConnection, response: Response, base: str) -> None:
        response.delete_cookie(
            self.cookie_name(connection, base), path="/", secure=self.is_secure(connection),
            httponly=True, samesite="lax",
        )

    # ---- sessions --------------------------------------------------------------------

    def session_token(self, connection: HTTPConnection) -> str | None:
        """The server-side token in a correctly signed session cookie, else None."""
        cookie = connection.cookies.get(self.cookie_name(connection, SESSION_COOKIE))
        if not cookie or len(cookie) > 512:
            return None
        try:
            token = self.sessions.loads(cookie, max_age=int(SESSION_LIFETIME.total_seconds()))
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def start_session(self, request: Request, response: Response, token: str) -> None:
        self.set_cookie(request, response, SESSION_COOKIE, self.sessions.dumps(token),
                        int(SESSION_LIFETIME.total_seconds()))
        self.rotate_csrf(request, response)

    def end_session(self, request: Request, response: Response) -> None:
        self.delete_cookie(request, response, SESSION_COOKIE)
        self.rotate_csrf(request, response)

    # ---- CSRF ------------------------------------------------------------------------

    def csrf_cookie(self, connection: HTTPConnection) -> str | None:
        value = connection.cookies.get(self.cookie_name(connection, CSRF_COOKIE))
        return value if value and 20 <= len(value) <= 100 else None

    def rotate_csrf(self, request: Request, response: Response) -> None:
        value = secrets.token_urlsafe(32)
        request.state.csrf_value = value
        self.set_cookie(request, response, CSRF_COOKIE, value, None)

    def csrf_token(self, request: Request) -> str:
        """The hidden-field value for forms on this page (signed copy of the cookie)."""
        return self.csrf.dumps(request.state.csrf_value)

    def csrf_valid(self, cookie: str | None, field: str | None) -> bool:
        if not cookie or not field or len(field) > 500:
            return False
        try:
            signed = self.csrf.loads(field, max_age=self.csrf_max_age_s)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, cookie)


def csrf_field(request: Request) -> Markup:
    """``<input type=hidden name=csrf …>`` for every form (a Jinja global)."""
    token = request.app.state.guard.csrf_token(request)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


def current_account(request: Request) -> Account | None:
    """The signed-in editor, or None (looked up once per request)."""
    if not hasattr(request.state, "account"):
        guard = request.app.state.guard
        token = guard.session_token(request)
        request.state.account = account_for(
            request.app.state.database, token, idle_timeout_s=guard.session_idle_timeout_s
        ) if token else None
    return request.state.account


def client_address(request: Request) -> str:
    """The peer address; proxy headers are not trusted here (uvicorn decides that)."""
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None) -> str:
    """A same-origin path to go to after login, or ``/``."""
    if not value or len(value) > 2000 or not value.startswith("/"):
        return "/"
    if value.startswith(("//", "/\\")) or "\\" in value:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


class FormGuard:
    """Pure ASGI middleware: origin check, body limit, form-only bodies, CSRF token; it
    also hands out the CSRF cookie and marks signed-in and editor responses ``no-store``."""

    def __init__(self, app: ASGIApp, *, guard: Guard, reject):
        self.app = app
        self.guard = guard
        self.reject = reject  # (request, status, message) -> Response: the error renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope.setdefault("state", {})
        cookie = self.guard.csrf_cookie(request)
        signed_in = self.guard.session_token(request) is not None
        state["csrf_value"] = cookie or secrets.token_urlsafe(32)
        no_store = signed_in or request.url.path.startswith(("/editor", "/login"))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if no_store or scope["method"] not in SAFE_METHODS:
                    headers["Cache-Control"] = "no-store"
                # Only pages carry forms: static files and JSON stay cookie-free (cacheable).
                is_page = headers.get("content-type", "").startswith("text/html") or (
                    300 <= message["status"] < 400)
                if cookie is None and is_page and not any(
                    CSRF_COOKIE in v for k, v in headers.items() if k == "set-cookie"
                ):
                    response = Response()
                    self.guard.set_cookie(request, response, CSRF_COOKIE,
                                          state["csrf_value"], None)
                    headers.append("set-cookie", response.headers["set-cookie"])
            await send(message)

        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_cookie)
            return

        failure = self._cross_site(request)
        upload = signed_in and _content_type(request) == MULTIPART_TYPE
        if failure is None:
            limit = (self.guard.max_upload_bytes if upload else self.guard.max_body_bytes
                     if signed_in else self.guard.max_body_bytes_anonymous)
            body = await _read_body(request, receive, limit)
            if body is None:
                failure = (413, self.guard.upload_too_large() if upload
                           else TOO_LARGE_MESSAGE)
            elif upload:
                failure = await self._check_upload(scope, cookie, body)
            else:
                failure = self._check_form(request, cookie, body)
        if failure is not None:
            scope.setdefault("router", scope["app"].router)  # for url_for in the error page
            response = self.reject(request, *failure)
            await response(scope, receive, send_with_cookie)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send_with_cookie)

    def _cross_site(self, request: Request) -> tuple[int, str] | None:
        fetch_sites = request.headers.getlist("sec-fetch-site")
        if any(v.strip().lower() not in ("same-origin", "none") for v in fetch_sites):
            return 403, CROSS_SITE_MESSAGE
        origins = request.headers.getlist("origin")
        if origins:
            allowed = {f"{request.url.scheme}://{request.url.netloc}".lower()}
            if self.guard.https_cookies:
                allowed.add(f"https://{request.url.netloc}".lower())
            if len(origins) > 1 or origins[0].strip().lower() not in allowed:
                return 403, CROSS_SITE_MESSAGE
        return None

    async def _check_upload(self, scope: Scope, cookie: str | None, body: bytes
                            ) -> tuple[int, str] | None:
        """An editor's multipart upload: read by Starlette's parser (python-multipart),
        files spooled to temporary files that are closed at once; the CSRF field checked."""

        async def whole_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(scope, whole_body)
        try:
            async with request.form(max_files=UPLOAD_MAX_FILES,
                                    max_fields=FORM_MAX_FIELDS) as form:
                tokens = [v for v in form.getlist(CSRF_FIELD) if isinstance(v, str)]
        except HTTPException as error:  # malformed, or too many files or fields
            return 400, f"The upload could not be read: {error.detail}"
        if len(tokens) != 1 or not self.guard.csrf_valid(cookie, tokens[0]):
            return 403, CSRF_MESSAGE
        return None

    def _check_form(self, request: Request, cookie: str | None, body: bytes
                    ) -> tuple[int, str] | None:
        if _content_type(request) != FORM_TYPE:  # JSON, multipart, nothing: no token
            return 403, CSRF_MESSAGE
        try:
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                               max_num_fields=FORM_MAX_FIELDS)
        except (UnicodeDecodeError, ValueError):
            return 400, "The form could not be read."
        tokens = [v for k, v in fields if k == CSRF_FIELD]
        if len(tokens) != 1 or not self.guard.csrf_valid(cookie, tokens[0]):
            return 403, CSRF_MESSAGE
        return None


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _read_body(request: Request, receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
