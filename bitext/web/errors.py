"""One renderer for every error: JSON under ``/api/``, an HTML page elsewhere.

Messages come from our own code (``BitextError.message``, the HTTP status phrase, the
names of our own parameters), never from the request, so nothing the user typed is echoed.
Unexpected exceptions become a generic 500 without a traceback; the server logs it.
"""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.templating import Jinja2Templates

from bitext.errors import BitextError
from bitext.web.headers import SECURITY_HEADERS

logger = logging.getLogger("bitext.web")

GENERIC_MESSAGES = {
    404: "Page not found",
    500: "Something went wrong on our side. Please try again later.",
}


def is_api_request(request: Request) -> bool:
    path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
    return path == "/api" or path.startswith("/api/")


def error_message(status: int) -> str:
    return GENERIC_MESSAGES.get(status) or HTTPStatus(status).phrase


class ErrorRenderer:
    def __init__(self, templates: Jinja2Templates):
        self.templates = templates

    def render(
        self, request: Request, status: int, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        # Set here too: a 500 is sent by Starlette's outermost middleware, past ours.
        headers = {**SECURITY_HEADERS, **(headers or {})}
        if is_api_request(request):
            return JSONResponse(
                {"error": {"status": status, "message": message}}, status, headers=headers
            )
        context = {"status": status, "title": HTTPStatus(status).phrase, "message": message}
        try:
            return self.templates.TemplateResponse(
                request, "error.html", context, status_code=status, headers=headers
            )
        except Exception:  # a broken template must not hide the original error
            logger.exception("error page failed to render")
            return HTMLResponse(f"<h1>{status}</h1>", status, headers=headers)

    async def bitext_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, BitextError)
        return self.render(request, error.status, error.message)

    async def http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return self.render(request, error.status_code, error_message(error.status_code),
                           dict(error.headers or {}))

    async def validation_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        # Only the parameter names (ours), never the rejected values (theirs).
        names = sorted({str(e["loc"][-1]) for e in error.errors() if e.get("loc")})
        message = "Invalid value for: " + ", ".join(names) if names else "Invalid request"
        return self.render(request, 422, message)

    async def server_error(self, request: Request, error: Exception) -> Response:
        return self.render(request, 500, error_message(500))


def install_error_handlers(app: FastAPI, templates: Jinja2Templates) -> ErrorRenderer:
    renderer = ErrorRenderer(templates)
    app.add_exception_handler(BitextError, renderer.bitext_error)
    app.add_exception_handler(HTTPException, renderer.http_error)
    app.add_exception_handler(RequestValidationError, renderer.validation_error)
    app.add_exception_handler(Exception, renderer.server_error)
    return renderer
