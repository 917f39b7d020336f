"""The site behind a proxy at /lib: every link on every page type stays inside /lib.

The app is served as uvicorn ``--root-path /lib`` serves it behind a proxy that forwards
``/lib/...``: ``root_path`` "/lib" and paths that include it; anything outside /lib answers
404, as the proxy would, so a link built without ``url_for`` fails here. Each page type is
crawled: every same-site ``href``, ``src`` and form ``action`` must start with ``/lib/``
and answer (one request per kind of link: the same path with other numbers is one route).
"""

import datetime as dt
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from samples import UDHR, UDHR_EN, UDHR_METADATA, UDHR_ZH
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.glossary import import_glossary
from bitext.services.library import add_document, open_library
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.services.reports import submit_report
from bitext.services.works import VersionPlace, file_version
from bitext.settings import Settings
from bitext.web.app import create_app

ROOT = "/lib"
HOST = "testserver"
SLUG = UDHR_METADATA["slug"]
TERM = "人身安全"  # in Article 3 of the sample, and in the glossary below
PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"
GLOSSARY_ENTRY = {"zh": TERM, "zh_hant": TERM, "pinyin": "rén shēn ān quán",
                  "canonical_en": "security of person", "category": "human rights"}
# A work of the declaration: an earlier draft (its first article shorter, without its last)
# and the adopted text with two translations, the sample's and another.
WORK = "udhr-work"
OTHER = "udhr-other"
EARLIER_ZH = "\n".join(["第一条 人人生而自由，在尊严和权利上一律平等。",
                        *("".join(zh) for zh, _ in UDHR[1:-1])])
ANSWERS = {200, 303}  # a redirect must itself stay inside the site (checked below)


def behind_proxy(app: ASGIApp, prefix: str) -> ASGIApp:
    """``app`` as the proxy and uvicorn present it at ``prefix``; elsewhere nothing."""
    async def proxy(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if not (scope["path"] + "/").startswith(f"{prefix}/"):
                await PlainTextResponse("not behind the proxy", 404)(scope, receive, send)
                return
            scope = {**scope, "root_path": prefix}
        await app(scope, receive, send)
    return proxy


class Links(HTMLParser):
    """Every href, src and form action of a page, with the method a browser would use. A
    GET form's action carries what a browser sends when it is submitted unchanged: its
    named inputs' values (boxes only when checked) and each select's chosen option; a
    required field left empty (the browser would not send it so) is filled as a user
    might (a date: today)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (attribute, value, method)
        self._get_form: tuple[str, list[tuple[str, str]]] | None = None  # action, fields
        self._select: tuple[str, list[list]] | None = None  # name, [value, selected, text]
        self._in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.found.append((name, values[name] or "", "get"))
        if tag == "form":
            method = (values.get("method") or "get").lower()
            if method == "get":
                self._get_form = (values.get("action") or "", [])
            else:
                self.found.append(("action", values.get("action") or "", method))
        elif self._get_form is not None and values.get("name"):
            self._field(tag, values)
        elif tag == "option" and self._select is not None:
            self._select[1].append([values.get("value"), "selected" in values, ""])
            self._in_option = True

    def _field(self, tag: str, values: dict[str, str | None]) -> None:
        assert self._get_form is not None
        name, kind = values["name"] or "", (values.get("type") or "text").lower()
        if tag == "select":
            self._select = (name, [])
        elif tag == "input" and kind not in ("submit", "button", "reset", "image") and (
                kind not in ("checkbox", "radio") or "checked" in values):
            value = values.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            if not value and "required" in values:
                value = {"date": dt.date.today().isoformat(), "number": "1"}.get(kind, "x")
            self._get_form[1].append((name, value))

    def handle_data(self, data: str) -> None:
        if self._in_option and self._select is not None:
            self._select[1][-1][2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._in_option = False
        elif tag == "select" and self._select is not None and self._get_form is not None:
            name, options = self._select
            chosen = next((o for o in options if o[1]), options[0] if options else None)
            if chosen is not None:
                value = chosen[0] if chosen[0] is not None else " ".join(chosen[2].split())
                self._get_form[1].append((name, value))
            self._select = None
        elif tag == "form" and self._get_form is not None:
            action, fields = self._get_form
            query = f"?{urlencode(fields)}" if fields else ""
            self.found.append(("action", action.split("?")[0] + query, "get"))
            self._get_form = None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample declaration with a correction (history, diff), a report (the queue) and a
    glossary entry, and a work whose adopted version it translates (with another
    translation), served at /lib; and the editor who made the correction."""
    folder = tmp_path_factory.mktemp("root-path")
    database = open_library(f"sqlite:///{folder / 'library.db'}")
    add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
    import_glossary(database, (json.dumps(GLOSSARY_ENTRY, ensure_ascii=False) + "\n").encode(),
                    "jsonl")
    editor = add_user(database, "editor1", PASSWORD, "editor")
    document = get_document(database, SLUG, statuses=EVERY_STATUS)
    paragraph = document.translation[0]
    editing.edit_paragraph(database, editor, SLUG, "translation", paragraph.id,
                           document.revisions["translation"],
                           paragraph.text + " (corrected)",
                           "a correction for the history")
    corrected = get_document(database, SLUG, statuses=EVERY_STATUS)
    submit_report(database, SLUG, corrected.translation[1].id, "translation", "",
                  "a suggestion", None, "127.0.0.1")
    add_document(database, {**UDHR_METADATA, "slug": OTHER,
                             "title_translation": "The Universal Declaration"},
                 UDHR_ZH, UDHR_EN.replace("born free", "all born free"))
    title, language = UDHR_METADATA["title_original"], UDHR_METADATA["language_original"]
    file_version(database, VersionPlace(WORK, "draft", dt.date(1948, 6, 1)), title, language,
                 text=EARLIER_ZH)
    file_version(database, VersionPlace(WORK, "adopted", dt.date(1948, 12, 10)), title,
                 language, slugs=[SLUG, OTHER])
    app = create_app(database, settings=Settings(secret_key=SECRET, data_dir=folder,
                                                 allowed_hosts=[HOST]))
    yield database, behind_proxy(app, ROOT)
    database.dispose()


@pytest.fixture(scope="module")
def reader(site):
    with TestClient(site[1], base_url=f"http://{HOST}", follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def editor(site):
    with TestClient(site[1], base_url=f"http://{HOST}", follow_redirects=False) as client:
        form = client.get(f"{ROOT}/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, "no CSRF field on the login page"
        signed_in = client.post(f"{ROOT}/login", data={
            "name": "editor1", "password": PASSWORD, "next": f"{ROOT}/", "csrf": token[1]})
        assert signed_in.status_code == 303, signed_in.text
        yield client


def _edit_page(site) -> str:
    document = get_document(site[0], SLUG, statuses=EVERY_STATUS)
    return f"/documents/{SLUG}/paragraphs/{document.translation[0].id}/edit?side=translation"


def _diff_page(site) -> str:
    revisions = get_document(site[0], SLUG, statuses=EVERY_STATUS).revisions["translation"]
    return f"/documents/{SLUG}/diff?side=translation&old={revisions - 1}&new={revisions}"


READER_PAGES = {
    "library": "/",
    "document": f"/documents/{SLUG}",
    "cite": f"/documents/{SLUG}/cite",
    "history": f"/documents/{SLUG}/history",
    "diff": _diff_page,
    "report form": f"/documents/{SLUG}/report?row=1",
    "search": "/search?q=人人",
    "concordance": "/concordance?q=人人",
    "glossary": "/glossary",
    "glossary entry": f"/glossary/{TERM}",
    "login": "/login",
    "work": f"/works/{WORK}",
    "work diff": f"/works/{WORK}/diff?from=draft&to=adopted",
    "work compare": f"/works/{WORK}/compare?translations={SLUG},{OTHER}",
}
EDITOR_PAGES = {
    "document as editor": f"/documents/{SLUG}",
    "report queue": "/editor/reports",
    "edit paragraph": _edit_page,
    "metadata": f"/documents/{SLUG}/metadata",
    "alignment": f"/documents/{SLUG}/alignment",
    "audit": "/editor/audit",
    "glossary editor": f"/editor/glossary?term={TERM}",
    "checks": f"/editor/checks/{SLUG}",
}


# Links a page type must have, so that the crawl covers them (search hits above all).
MUST_LINK = {
    "library": f"{ROOT}/documents/{SLUG}",
    "history": f"{ROOT}/documents/{SLUG}/diff?",
    "search": f"{ROOT}/documents/{SLUG}#p",
    "concordance": f"{ROOT}/documents/{SLUG}#p",
    "glossary": f"{ROOT}/glossary/",
    "report queue": f"{ROOT}/documents/{SLUG}",
    "document": f"{ROOT}/works/{WORK}",
    "work": f"{ROOT}/works/{WORK}/compare?",
    "work compare": f"{ROOT}/documents/{OTHER}",
}


def _kind(url: str, method: str) -> tuple[str, str, tuple[str, ...]]:
    """One request per route and query shape: /paragraphs/12 and /paragraphs/13 are one."""
    parts = urlsplit(url)
    names = tuple(sorted({name for name, _ in parse_qsl(parts.query)}))
    return method, re.sub(r"\d+", "N", parts.path), names


def _crawl(client: TestClient, path: str, must_link: str | None = None) -> None:
    page_url = f"http://{HOST}{ROOT}{path}"
    page = client.get(page_url)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    parser = Links()
    parser.feed(page.text)
    assert parser.found, f"{path} has no links"
    if must_link:
        assert any(value.startswith(must_link) for _, value, _ in parser.found), (
            f"{path} has no link to {must_link}")
    outside, broken, checked = [], [], set()
    for attribute, value, method in parser.found:
        if value.startswith(("mailto:", "data:", "#")):
            continue
        url = urljoin(page_url, value)
        parts = urlsplit(url)
        if parts.netloc != HOST:
            continue  # another site (the original's address, the licence)
        if not (parts.path + "/").startswith(f"{ROOT}/"):
            outside.append(f'{attribute}="{value}"')
            continue
        kind = _kind(url, method)
        if kind in checked:
            continue
        checked.add(kind)
        target = url.split("#")[0]
        answer = client.get(target)
        allowed = ANSWERS | ({405} if method == "post" else set())  # POST-only: it exists
        if answer.status_code not in allowed:
            broken.append(f'{attribute}="{value}" -> {answer.status_code}')
        elif answer.status_code == 303:
            location = urlsplit(urljoin(target, answer.headers["location"]))
            if not location.path.startswith(f"{ROOT}/"):
                outside.append(f'{attribute}="{value}" redirects to {location.path}')
    assert not outside, f"{path}: links outside {ROOT}: {outside}"
    assert not broken, f"{path}: links that do not answer: {broken}"


@pytest.mark.parametrize("name", READER_PAGES)
def test_every_link_of_a_reader_page_stays_under_the_root_path(site, reader, name):
    path = READER_PAGES[name]
    _crawl(reader, path(site) if callable(path) else path, MUST_LINK.get(name))


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_every_link_of_an_editor_page_stays_under_the_root_path(site, editor, name):
    path = EDITOR_PAGES[name]
    _crawl(editor, path(site) if callable(path) else path, MUST_LINK.get(name))


def test_a_link_outside_the_root_path_is_caught(reader):
    """The check can fail: outside /lib nothing answers."""
    assert reader.get(f"/documents/{SLUG}").status_code == 404
    assert reader.get(f"{ROOT}/documents/{SLUG}").status_code == 200
