"""Signing in and out. A wrong password or a throttled login shows the form again with one
line saying why; a new session replaces any old one (no fixation), and each rotates the
CSRF token."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from bitext.errors import BitextError
from bitext.services import accounts
from bitext.web.dependencies import GuardDep, LibraryDep, SettingsDep, render, see_other
from bitext.web.security import client_address, safe_next
from bitext.web.templating import path_for

router = APIRouter(include_in_schema=False)

LOGIN_FIELD_MAX_CHARS = accounts.PASSWORD_MAX_CHARS * 4


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request,
               next: Annotated[str | None, Query(max_length=2000)] = None):  # noqa: A002
    return render(request, "login.html", next=safe_next(next), name="", message=None)


@router.post("/login", name="login_post")
def login(
    request: Request,
    database: LibraryDep,
    settings: SettingsDep,
    guard: GuardDep,
    name: Annotated[str, Form(max_length=LOGIN_FIELD_MAX_CHARS)] = "",
    password: Annotated[str, Form(max_length=LOGIN_FIELD_MAX_CHARS)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
):
    target = safe_next(next)
    try:
        token = accounts.log_in(database, name, password, client_address(request),
                                backoff=accounts.LoginBackoff.from_settings(settings),
                                idle_timeout_s=settings.session_idle_timeout_s)
    except BitextError as error:  # wrong password or throttled: the form again
        return render(request, "login.html", error.status, next=target,
                      name=name[:64], message=error.message)
    old = guard.session_token(request)
    if old:  # a new session replaces the old one (no fixation)
        accounts.log_out(database, old, client_address(request))
    response = see_other(target)
    guard.start_session(request, response, token)
    return response


@router.post("/logout", name="logout")
def logout(request: Request, database: LibraryDep, guard: GuardDep):
    token = guard.session_token(request)
    if token:
        accounts.log_out(database, token, client_address(request))
    response = see_other(path_for(request, "library"))
    guard.end_session(request, response)
    return response
