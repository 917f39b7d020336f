"""Hostile input against the editorial web layer (RELIABILITY.md 6.3 and 6.4).

Each test names the attack; the expectation is "nobody let in, nothing lost": a clear 4xx,
no script in the page, and the data exactly as it was.
"""

import re
from html.parser import HTMLParser

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bitext.errors import InputError
from bitext.services import accounts
from bitext.services.accounts import add_user
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.settings import Settings
from bitext.store.schema import AuditEntry, LoginSession, Report, Revision
from bitext.web.app import create_app
from bitext.web.security import safe_next
from tests.test_accounts import CountingHasher
from tests.test_web_editorial import EN, META, PASSWORD, SECRET, ZH, csrf_of, log_in, post

XSS = "<script>alert(1)</script>"
HANDLER = '<img src=x onerror="alert(2)">'
SSTI = "{{7*7}}"

# Every route that changes something, and who may use it. A new POST route fails
# test_every_unsafe_route_is_declared until it is added here.
UNSAFE_ROUTES = {
    ("POST", "/login"): "anyone",
    ("POST", "/logout"): "anyone",
    ("POST", "/documents/{slug}/reports"): "anyone",
    ("POST", "/documents/{slug}/paragraphs/{paragraph_id}/edit"): "editor",
    ("POST", "/documents/{slug}/metadata"): "editor",
    ("POST", "/documents/{slug}/status"): "editor",
    ("POST", "/documents/{slug}/alignment"): "editor",
    ("POST", "/editor/reports/{report_id}"): "editor",
    ("POST", "/editor/glossary"): "editor",
    ("POST", "/editor/checks/{slug}"): "editor",
    ("POST", "/editor/import"): "editor",
    ("POST", "/editor/import/{job_id}/confirm"): "editor",
}
EDITOR_PAGES = [
    "/editor/reports", "/editor/reports?status=accepted", "/editor/audit",
    "/documents/doc/metadata", "/documents/doc/alignment", "/documents/doc/alignment?row=1",
    "/documents/draft-doc", "/documents/draft-doc/history", "/documents/draft-doc/metadata",
    "/documents/draft-doc/diff?side=translation&old=1&new=1",
    "/editor/glossary", "/editor/checks/doc", "/editor/checks/draft-doc",
    "/api/documents/draft-doc",
]


@pytest.fixture
def hostile(library):
    """A published document whose every field is hostile, a draft, and two editors."""
    add_document(library, {
        **META, "slug": "doc", "title_translation": XSS + HANDLER, "title_original": SSTI,
        "summary": HANDLER, "source": XSS, "tags": [XSS],
    }, ZH, EN.replace("Article 3.", f"Article 3. {XSS} {HANDLER}"))
    add_document(library, {**META, "slug": "draft-doc", "status": "draft",
                           "title_translation": "Secret draft title"}, ZH, EN)
    add_user(library, "editor1", PASSWORD, "editor")
    add_user(library, "admin", PASSWORD, "editor")  # the name look-alikes aim at
    return library


def client_for(database, tmp_path, **settings) -> TestClient:
    settings = Settings(**{"secret_key": SECRET, "data_dir": tmp_path, **settings})
    return TestClient(create_app(database, settings=settings), follow_redirects=False)


@pytest.fixture
def reader(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        yield client


@pytest.fixture
def editor(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        log_in(client, "editor1")
        yield client


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No hostile markup survived as markup; it is all text."""
    assert XSS not in html and "<img src=x" not in html
    tags = Elements(html).tags
    assert not [t for t, _ in tags if t in ("img", "iframe", "svg", "object", "embed")]
    assert not [(t, a) for t, attrs in tags for a in attrs if a.startswith("on")]
    scripts = [attrs for t, attrs in tags if t == "script"]
    assert all(re.fullmatch(r"/static/(bitext|glossary-marks|qa-notice)\.\w{10}\.js",
                            s.get("src") or "") for s in scripts)
    links = [attrs.get("href") or "" for _, attrs in tags] + [
        attrs.get("action") or "" for _, attrs in tags]
    assert not [u for u in links if u.strip().lower().startswith(("javascript:", "data:"))]
    assert ">49<" not in html


def translation_id(database, row: int, slug: str = "doc") -> int:
    return get_document(database, slug, statuses=EVERY_STATUS).rows[row].translation[0].id


def counts(database) -> dict[str, int]:
    with database.reader() as session:
        return {
            "reports": session.scalar(select(func.count()).select_from(Report)),
            "revisions": session.scalar(select(func.count()).select_from(Revision)),
            "audit": session.scalar(select(func.count()).select_from(AuditEntry)),
        }


# ---- stored XSS: titles, paragraphs, report fields, notes, user names -------------------


def test_hostile_titles_and_paragraphs_are_inert_for_readers_and_editors(reader, editor):
    for client in (reader, editor):
        for path in ("/", "/documents/doc", "/documents/doc/history"):
            response = client.get(path)
            assert response.status_code == 200
            assert_inert(response.text)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/documents/doc").text
    for path in ("/documents/doc/alignment", "/documents/doc/metadata"):
        assert_inert(editor.get(path).text)


def test_hostile_report_fields_are_inert_in_the_editors_queue(hostile, reader, editor):
    target = translation_id(hostile, 0)
    response = post(reader, "/documents/doc/report?row=1", "/documents/doc/reports", {
        "paragraph": f"translation:{target}", "quoted": XSS + SSTI,
        "suggestion": f"[x](javascript:alert(1)) <javascript:alert(1)> {HANDLER}",
        "email": "a@b.example"})
    assert response.status_code == 303
    queue = editor.get("/editor/reports").text
    assert_inert(queue)
    assert "[x](javascript:alert(1))" in queue and SSTI in queue
    # The editor's page carries no inline style or script either (CSP stays strict).
    assert " style=" not in queue and "<style" not in queue


def test_hostile_notes_are_inert_for_readers(hostile, reader, editor):
    target = translation_id(hostile, 1)
    path = f"/documents/doc/paragraphs/{target}/edit?side=translation"
    note = f"{XSS} {HANDLER} [x](javascript:alert(1)) {SSTI}"
    assert post(editor, path, path, {"text": "Article 2. Fixed.", "note": note,
                                     "base": "1"}).status_code == 303
    for page in ("/documents/doc", "/documents/doc/history", "/editor/audit"):
        client = editor if page.startswith("/editor") else reader
        html = client.get(page).text
        assert_inert(html)
        assert "{{7*7}}" in html


def test_hostile_user_names_are_refused_and_never_rendered_as_markup(hostile, reader):
    for name in (XSS, HANDLER, "аdmin", "ａｄｍｉｎ"):  # markup, Cyrillic а, full-width
        with pytest.raises(InputError):
            add_user(hostile, name, PASSWORD, "editor")
    response = post(reader, "/login", "/login", {"name": XSS, "password": "whatever1"})
    assert response.status_code == 400
    assert_inert(response.text)
    assert "&lt;script&gt;" in response.text  # kept in the form, as text


def test_look_alike_user_name_cannot_log_in_as_the_admin(reader):
    # (Full-width "ａｄｍｉｎ" folds to "admin" itself under NFKC: the same account, so it
    # cannot be registered by someone else; see the test above.)
    for look_alike in ("аdmin", "admin\u200b", "adm\u0131n", "\u202eadmin"):
        response = post(reader, "/login", "/login",
                        {"name": look_alike, "password": PASSWORD})
        assert response.status_code in (400, 429)
        assert not any("bitext_session=" in c for c in response.headers.get_list("set-cookie"))
    assert reader.get("/editor/reports").status_code == 404


def test_javascript_urls_are_refused_and_never_links(hostile, editor):
    before = get_document(hostile, "doc").meta
    response = post(editor, "/documents/doc/metadata", "/documents/doc/metadata", {
        "title_original": "x", "title_translation": "y", "note": "link",
        "url_original": "javascript:alert(1)", "base": "0"})
    assert response.status_code == 400 and "http or https" in response.text
    assert_inert(response.text)  # the refused value stays in the form, as text
    assert get_document(hostile, "doc").meta == before


# ---- sizes, paths, redirects ----------------------------------------------------------


def test_bodies_over_the_limit_are_refused_before_parsing(hostile, reader, editor):
    before = counts(hostile)
    token = csrf_of(reader.get("/documents/doc/report?row=1").text)
    big = {"paragraph": "translation:1", "suggestion": "x" * 200_000, "csrf": token}
    response = reader.post("/documents/doc/reports", data=big)
    assert response.status_code == 413 and "too large" in response.text

    def chunks():  # no Content-Length: counted while reading
        yield f"csrf={token}&suggestion=".encode()
        for _ in range(300):
            yield b"x" * 1000

    response = reader.post("/documents/doc/reports", content=chunks(),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    token = csrf_of(editor.get("/documents/doc/metadata").text)
    response = editor.post("/documents/doc/metadata",
                           data={"summary": "x" * 3_000_000, "csrf": token})
    assert response.status_code == 413
    assert counts(hostile) == before


def test_megabyte_password_is_refused_before_hashing(reader, monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    token = csrf_of(reader.get("/login").text)
    response = reader.post("/login", data={"name": "admin", "password": "p" * 1_000_000,
                                           "csrf": token})
    assert response.status_code == 413
    # Just under the body limit but over the password limit: a plain refusal, no hashing.
    response = reader.post("/login", data={"name": "admin", "password": "p" * 20_000,
                                           "csrf": token})
    assert response.status_code in (400, 422)
    assert hasher.hashed == [] and hasher.verified == []
    # (and a login of the usual size does reach the hasher)
    reader.post("/login", data={"name": "admin", "password": "p" * 20, "csrf": token})
    assert [password for _, password in hasher.verified] == ["p" * 20]


@pytest.mark.parametrize("path", [
    "/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2e%2e", "/documents/a%00b",
    "/documents/a%0d%0aSet-Cookie:%20x=1", "/documents/%E2%80%AEevil",
    "/documents/..%2Fsecret/history", "/documents/%00/paragraphs/1",
    "/documents/a%0d%0ab/diff?side=original&old=1&new=1",
])
def test_traversal_and_control_characters_in_slugs_are_404_without_echo(reader, path):
    response = reader.get(path)
    assert response.status_code == 404
    assert "passwd" not in response.text and "evil" not in response.text
    assert "Set-Cookie:" not in response.text and "x=1" not in str(response.headers)


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "evil.example", "/\t/evil.example", "https:evil.example",
])
def test_open_redirect_via_next_is_refused(hostile, tmp_path, target):
    assert safe_next(target) == "/"
    with client_for(hostile, tmp_path) as client:
        assert log_in(client, "editor1", next_path=target).headers["location"] == "/"


def test_encoded_line_breaks_in_next_stay_a_local_path(hostile, tmp_path):
    target = "/%0d%0aLocation:%20https://evil.example"
    with client_for(hostile, tmp_path) as client:
        response = log_in(client, "editor1", next_path=target)
    # still percent-encoded: a path on this site, no second header
    assert response.headers.get_list("location") == [target]


def test_next_keeps_a_local_path(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        assert log_in(client, "editor1", next_path="/editor/reports?status=open")\
            .headers["location"] == "/editor/reports?status=open"


# ---- CSRF and cross-site posts --------------------------------------------------------


def test_post_without_csrf_token_is_403(hostile, reader, editor):
    before = counts(hostile)
    target = translation_id(hostile, 0)
    assert reader.post("/documents/doc/reports", data={
        "paragraph": f"translation:{target}", "suggestion": "x"}).status_code == 403
    assert reader.post("/login", data={"name": "editor1", "password": PASSWORD}).status_code \
        == 403
    assert editor.post("/documents/doc/status", data={"status": "withdrawn"}).status_code == 403
    assert editor.post("/logout").status_code == 403
    assert editor.post("/documents/doc/status", json={"status": "withdrawn"}).status_code == 403
    assert counts(hostile) == before
    assert editor.get("/editor/reports").status_code == 200  # still logged in


def test_stale_csrf_token_from_before_login_is_403(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        stale = csrf_of(client.get("/documents/doc/report?row=1").text)
        log_in(client, "editor1")  # login rotates the CSRF cookie
        response = client.post("/documents/doc/status",
                               data={"status": "withdrawn", "csrf": stale})
        assert response.status_code == 403 and "expired" in response.text
    assert get_document(hostile, "doc").meta.status == "published"


def test_another_sessions_csrf_token_is_403(hostile, tmp_path):
    with client_for(hostile, tmp_path) as attacker, client_for(hostile, tmp_path) as victim:
        log_in(attacker, "admin")
        log_in(victim, "editor1")
        foreign = csrf_of(attacker.get("/documents/doc/report?row=1").text)
        response = victim.post("/documents/doc/status",
                               data={"status": "withdrawn", "csrf": foreign})
        assert response.status_code == 403
        forged = victim.post("/documents/doc/status",
                             data={"status": "withdrawn", "csrf": "x" * 40})
        assert forged.status_code == 403
    assert get_document(hostile, "doc").meta.status == "published"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"sec-fetch-site": "CROSS-SITE"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://testserver:8080"},
    {"Origin": "https://testserver"},
    {"Origin": "not a url"},
])
def test_cross_site_posts_are_403_even_with_a_valid_token(hostile, editor, headers):
    token = csrf_of(editor.get("/documents/doc").text)
    response = editor.post("/documents/doc/status", data={"status": "withdrawn", "csrf": token},
                           headers=headers)
    assert response.status_code == 403
    assert get_document(hostile, "doc").meta.status == "published"


def test_same_origin_post_with_browser_headers_passes(hostile, editor):
    token = csrf_of(editor.get("/documents/doc").text)
    response = editor.post("/documents/doc/status", data={"status": "withdrawn", "csrf": token},
                           headers={"Origin": "http://testserver",
                                    "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


def test_login_csrf_is_refused(hostile, reader):
    response = reader.post("/login", data={"name": "editor1", "password": PASSWORD},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert not any("bitext_session" in c for c in response.headers.get_list("set-cookie"))


# ---- sessions -------------------------------------------------------------------------


def test_forged_or_tampered_session_cookie_is_anonymous(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        log_in(client, "editor1")
        good = client.cookies.get("bitext_session")
        assert client.get("/editor/reports").status_code == 200
        flipped = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
        for value in (flipped, "forged", good + "x", "",
                      good.split(".")[0] + ".AAAA.BBBB"):
            client.cookies.clear()
            client.cookies.set("bitext_session", value)
            assert client.get("/editor/reports").status_code == 404
            assert client.get("/documents/draft-doc").status_code == 404
    with client_for(hostile, tmp_path, secret_key="another-instance-secret-0123456789-xyz") \
            as other:
        other.cookies.clear()
        other.cookies.set("bitext_session", good)
        assert other.get("/editor/reports").status_code == 404


def test_logout_deletes_the_server_session_and_replay_is_anonymous(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        log_in(client, "editor1")
        cookie = client.cookies.get("bitext_session")
        assert post(client, "/", "/logout", {}).status_code == 303
        with hostile.reader() as session:
            assert session.scalar(select(func.count()).select_from(LoginSession)) == 0
        client.cookies.clear()
        client.cookies.set("bitext_session", cookie)
        assert client.get("/editor/reports").status_code == 404


def test_login_rotates_the_session(hostile, tmp_path):
    with client_for(hostile, tmp_path) as client:
        log_in(client, "editor1")
        first = client.cookies.get("bitext_session")
        log_in(client, "editor1")
        second = client.cookies.get("bitext_session")
        assert first != second
        with hostile.reader() as session:
            assert session.scalar(select(func.count()).select_from(LoginSession)) == 1


# ---- authorization --------------------------------------------------------------------


@pytest.mark.parametrize("path", EDITOR_PAGES + [
    "/documents/doc/paragraphs/1/edit?side=translation",
])
def test_editor_pages_and_drafts_are_404_without_a_role(reader, path):
    response = reader.get(path)
    assert response.status_code == 404
    assert "Secret draft title" not in response.text
    assert 'name="base"' not in response.text and "<textarea" not in response.text


def test_editors_see_drafts_and_editor_pages_with_no_store(editor):
    for path in EDITOR_PAGES[:-1]:  # (the JSON API stays published-only)
        response = editor.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert editor.get("/api/documents/draft-doc").status_code == 404


def test_anonymous_posts_to_editor_routes_change_nothing(hostile, reader):
    before = counts(hostile)
    target = translation_id(hostile, 0)
    paths = {
        "/documents/doc/status": {"status": "withdrawn"},
        "/documents/draft-doc/status": {"status": "published"},
        f"/documents/doc/paragraphs/{target}/edit?side=translation":
            {"text": "Hacked.", "note": "x", "base": "1"},
        "/documents/doc/metadata": {"title_translation": "Hacked", "note": "x", "base": "0"},
        "/documents/doc/alignment": {"base_alignment": "1", "operation": "merge",
                                     "level": "paragraph", "position": "0"},
        "/editor/reports/1": {"status": "rejected"},
        "/editor/glossary": {"term": "新词", "canonical": "Hacked", "note": "x"},
        "/editor/checks/doc": {"key": "0" * 24, "reason": "x"},
    }
    for path, data in paths.items():
        response = post(reader, "/documents/doc/report?row=1", path, data)
        assert response.status_code == 404, path
    assert counts(hostile) == before
    assert get_document(hostile, "draft-doc", statuses=EVERY_STATUS).meta.status == "draft"


def test_reports_on_drafts_are_404(hostile, reader):
    target = translation_id(hostile, 0, "draft-doc")
    response = post(reader, "/documents/doc/report?row=1", "/documents/draft-doc/reports",
                    {"paragraph": f"translation:{target}", "suggestion": "x"})
    assert response.status_code == 404 and "Secret draft" not in response.text


def test_editing_a_withdrawn_document_is_refused_clearly(hostile, editor):
    assert post(editor, "/documents/doc", "/documents/doc/status",
                {"status": "withdrawn"}).status_code == 303
    before = counts(hostile)
    target = translation_id(hostile, 1)
    path = f"/documents/doc/paragraphs/{target}/edit?side=translation"
    form = editor.get(path)
    assert form.status_code == 400 and "withdrawn document cannot be edited" in form.text
    token = csrf_of(editor.get("/documents/doc").text)
    for url, data in ((path, {"text": "New.", "note": "n", "base": "1"}),
                      ("/documents/doc/metadata", {"title_original": "x",
                                                   "title_translation": "y", "note": "n"}),
                      ("/documents/doc/alignment", {
                          "base_alignment": str(get_document(
                              hostile, "doc", statuses=EVERY_STATUS).alignment_id),
                          "level": "paragraph", "position": "0", "operation": "merge"})):
        response = editor.post(url, data={**data, "csrf": token})
        assert response.status_code == 400, url
        assert "withdrawn document cannot be edited" in response.text
    assert counts(hostile) == before


def test_mass_assignment_fields_are_ignored(hostile, editor):
    before = get_document(hostile, "draft-doc", statuses=EVERY_STATUS)
    response = post(editor, "/documents/draft-doc/metadata", "/documents/draft-doc/metadata", {
        "title_original": "新", "title_translation": "New title", "note": "n", "base": "0",
        "status": "published", "slug": "stolen", "language_original": "fr", "is_admin": "1",
        "revision": "999", "id": "1", "corrected_at": "2000-01-01",
    })
    assert response.status_code == 303
    after = get_document(hostile, "draft-doc", statuses=EVERY_STATUS)
    assert after.meta.status == "draft" and after.meta.slug == "draft-doc"
    assert after.meta.language_original == before.meta.language_original
    assert after.meta.title_translation == "New title"
    target = translation_id(hostile, 0)
    path = f"/documents/doc/paragraphs/{target}/edit?side=translation"
    response = post(editor, path, path, {"text": "Article 1. New.", "note": "n", "base": "1",
                                         "revision": "999", "number": "999",
                                         "author_id": "2", "status": "withdrawn"})
    assert response.status_code == 303
    view = get_document(hostile, "doc")
    assert view.revisions["translation"] == 2 and view.meta.status == "published"


def test_report_rate_limit_is_keyed_on_the_peer_not_x_forwarded_for(hostile, reader):
    target = translation_id(hostile, 0)
    statuses = []
    for i in range(12):
        response = post(reader, "/documents/doc/report?row=1", "/documents/doc/reports", {
            "paragraph": f"translation:{target}", "suggestion": f"fix {i}"})
        statuses.append(response.status_code)
    token = csrf_of(reader.get("/documents/doc/report?row=1").text)
    spoofed = reader.post("/documents/doc/reports", headers={"X-Forwarded-For": "10.9.8.7"},
                          data={"paragraph": f"translation:{target}", "suggestion": "x",
                                "csrf": token})
    assert statuses[:10] == [303] * 10 and statuses[10:] == [429, 429]
    assert spoofed.status_code == 429 and "too many reports" in spoofed.text
    assert counts(hostile)["reports"] == 10


def test_every_unsafe_route_is_declared(hostile, tmp_path):
    app = create_app(hostile, settings=Settings(secret_key=SECRET, data_dir=tmp_path))
    found = {
        (method, route.path)
        for route in iter_route_contexts(app.routes)  # through every included router
        for method in route.methods or ()
        if method not in ("GET", "HEAD", "OPTIONS")
    }
    undeclared = found - UNSAFE_ROUTES.keys()
    assert not undeclared, f"declare the role of these routes in UNSAFE_ROUTES: {undeclared}"
    assert UNSAFE_ROUTES.keys() - found == set(), "UNSAFE_ROUTES lists routes that are gone"


def test_secret_key_file_is_created_once_owner_only(hostile, tmp_path, monkeypatch):
    monkeypatch.delenv("BITEXT_SECRET_KEY")
    key_file = tmp_path / "keys" / "secret_key"
    settings = Settings(data_dir=tmp_path, secret_key_file=key_file)
    create_app(hostile, settings=settings)
    first = key_file.read_text()
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(first) >= 32
    create_app(hostile, settings=settings)
    assert key_file.read_text() == first
    key_file.chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        create_app(hostile, settings=settings)


def test_static_files_and_json_set_no_cookie(reader):
    for path in ("/static/bitext.css", "/api/documents"):
        assert "set-cookie" not in reader.get(path).headers
    assert "bitext_csrf=" in reader.get("/").headers["set-cookie"]


def test_errors_from_the_guard_have_the_security_headers(reader):
    response = reader.post("/documents/doc/reports", data={"suggestion": "x"})
    assert response.status_code == 403
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/html; charset=utf-8")


@pytest.mark.parametrize("headers", [
    [("Origin", "http://testserver"), ("Origin", "https://evil.example")],
    [("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Site", "cross-site")],
])
def test_duplicate_origin_headers_are_403(hostile, editor, headers):
    token = csrf_of(editor.get("/documents/doc").text)
    response = editor.post("/documents/doc/status", headers=headers,
                           data={"status": "withdrawn", "csrf": token})
    assert response.status_code == 403
    assert get_document(hostile, "doc").meta.status == "published"
