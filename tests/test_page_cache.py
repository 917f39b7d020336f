"""The reader's page cache: a page rendered once per document version for anonymous readers,
answered 304 from its key, changed at once by every write, and never carrying anything of
one client (an editor's controls, a name, a CSRF token, a notice) to another."""

import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from bitext.errors import NotFound
from bitext.services.accounts import add_user
from bitext.services.editing import change_status, edit_paragraph
from bitext.services.library import add_document, open_library
from bitext.services.page_versions import DocumentVersions
from bitext.services.reading import EVERY_STATUS, document_version, get_document
from bitext.settings import Settings
from bitext.store import own_works, works
from bitext.store.commits import CommitCounter
from bitext.store.database import Database
from bitext.web.app import create_app
from bitext.web.cached_reader import kept_page
from bitext.web.page_cache import PageCache, accepts_gzip
from bitext.web.security import CSRF_COOKIE
from tests.test_web_editorial import EN, META, PASSWORD, SECRET, ZH, csrf_of, log_in, post
from tests.test_web_root_path import behind_proxy


@pytest.fixture
def app(library, tmp_path):
    add_document(library, META, ZH, EN)
    add_user(library, "editor1", PASSWORD, "editor")
    return create_app(library, settings=Settings(secret_key=SECRET, data_dir=tmp_path))


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def editor(app):
    with client(app) as browser:
        log_in(browser, "editor1")
        yield browser


def test_a_reader_page_is_kept_and_revalidated_without_work(app):
    with client(app) as reader:
        first = reader.get("/documents/doc", headers={"Accept-Encoding": "gzip"})
        again = reader.get("/documents/doc", headers={"Accept-Encoding": "gzip"})
        plain = reader.get("/documents/doc", headers={"Accept-Encoding": "identity"})
        head = reader.head("/documents/doc")
        unchanged = reader.get("/documents/doc", headers={"If-None-Match": first.headers["etag"]})
    assert first.status_code == again.status_code == plain.status_code == 200
    assert first.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert first.content == again.content == plain.content  # the client undoes the gzip
    assert first.headers["etag"] == again.headers["etag"] == plain.headers["etag"]
    assert first.headers["vary"] == "Accept-Encoding"
    assert first.headers["cache-control"] == "no-cache"  # browsers always revalidate
    assert "Last-Modified" in first.headers
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == first.headers["etag"]
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert len(app.state.page_cache) == 1  # one page for the document's current version


def test_each_view_is_its_own_page(app):
    with client(app) as reader:
        etags = {view: reader.get(f"/documents/doc?view={view}").headers["etag"]
                 for view in ("side", "original", "translation")}
        default = reader.get("/documents/doc")
        unknown = reader.get("/documents/doc?view=nonsense")
    assert len(set(etags.values())) == 3
    assert default.headers["etag"] == unknown.headers["etag"] == etags["side"]
    assert 'class="reader reader--original"' in reader.get("/documents/doc?view=original").text


def test_every_write_changes_the_page_served_at_once(app, editor, library):
    with client(app) as reader:
        def served() -> tuple[str, str]:
            response = reader.get("/documents/doc")
            assert response.status_code == 200
            return response.headers["etag"], response.text

        etag, page = served()
        seen = {etag}
        assert "Articel 2." in page

        def edit_alignment(position: int, operation: str) -> None:
            base = get_document(library, "doc").alignment_id
            assert post(editor, "/documents/doc/alignment", "/documents/doc/alignment", {
                "base_alignment": str(base), "level": "paragraph", "position": str(position),
                "operation": operation}).status_code == 303

        # A correction of the translation.
        wrong = get_document(library, "doc").rows[1].translation[0].id
        path = f"/documents/doc/paragraphs/{wrong}/edit?side=translation"
        assert post(editor, path, path, {"text": "Article 2. All are equal.",
                                         "note": "Spelling", "base": "1"}).status_code == 303
        stale = reader.get("/documents/doc", headers={"If-None-Match": etag})
        assert stale.status_code == 200 and "Articel" not in stale.text
        etag, page = served()
        assert "Articel" not in page and "Spelling" in page and etag not in seen
        seen.add(etag)

        # An alignment edit: the three rows become two.
        edit_alignment(0, "merge")
        etag, page = served()
        assert 'id="p3"' not in page and 'id="p2"' in page and etag not in seen
        seen.add(etag)

        # Confirming a link changes only its status mark.
        edit_alignment(1, "confirm")
        etag, page = served()
        assert "align-status--confirmed" in page and etag not in seen
        seen.add(etag)

        # A metadata edit.
        assert post(editor, "/documents/doc/metadata", "/documents/doc/metadata", {
            "title_original": "宣言", "title_translation": "The Declaration",
            "note": "Better title", "base": "0"}).status_code == 303
        etag, page = served()
        assert "The Declaration" in page and etag not in seen
        seen.add(etag)

        # Withdrawn: gone for readers at once; published again: back, as it now is.
        assert post(editor, "/documents/doc", "/documents/doc/status",
                    {"status": "withdrawn"}).status_code == 303
        assert reader.get("/documents/doc").status_code == 404
        assert reader.get("/documents/doc", headers={"If-None-Match": etag}).status_code == 404
        post(editor, "/documents/doc", "/documents/doc/status", {"status": "published"})
        etag, page = served()
        assert "The Declaration" in page and etag not in seen


def test_editor_and_reader_never_get_each_others_page(app, editor):
    with client(app) as reader:
        before = reader.get("/documents/doc").text  # the anonymous page, now cached
        editor_page = editor.get("/documents/doc")
        after = reader.get("/documents/doc")
    assert "Edit metadata" in editor_page.text and "Edit translation" in editor_page.text
    assert "editor1" in editor_page.text and csrf_of(editor_page.text)
    assert editor_page.headers["cache-control"] == "no-store"
    for page in (before, after.text):
        assert "Edit metadata" not in page and "Edit translation" not in page
        assert "editor1" not in page and 'name="csrf"' not in page and "Log out" not in page
        assert "Editor login" in page
    # The editor's copy of the anonymous page's ETag still gets the editor's page.
    again = editor.get("/documents/doc", headers={"If-None-Match": after.headers["etag"]})
    assert again.status_code == 200 and "Edit metadata" in again.text


def test_clients_share_the_page_but_not_their_tokens(app):
    with client(app) as first, client(app) as second:
        one, two = first.get("/documents/doc"), second.get("/documents/doc")
        cookies = first.cookies.get(CSRF_COOKIE), second.cookies.get(CSRF_COOKIE)
    assert one.content == two.content
    assert all(cookies) and cookies[0] != cookies[1]  # each its own, in a header
    for cookie in cookies:
        assert cookie not in one.text
    assert "set-cookie" in one.headers and "set-cookie" in two.headers


def test_a_notice_is_shown_to_its_reader_only(app):
    with client(app) as reader, client(app) as other:
        thanked = reader.get("/documents/doc?reported=2").text
        plain = other.get("/documents/doc").text
        again = reader.get("/documents/doc").text
    assert "Thank you" in thanked[thanked.index('id="p2"'):thanked.index('id="p3"')]
    assert "Thank you" not in plain and "Thank you" not in again


def test_a_draft_is_never_cached_for_readers(app, editor, library):
    add_document(library, {**META, "slug": "draft-doc", "status": "draft"}, ZH, EN)
    with client(app) as reader:
        assert editor.get("/documents/draft-doc").status_code == 200
        assert reader.get("/documents/draft-doc").status_code == 404
    with pytest.raises(NotFound):
        document_version(library, "draft-doc")
    assert document_version(library, "draft-doc", statuses=EVERY_STATUS)


def test_the_lru_keeps_within_its_budget():
    pages = PageCache(max_bytes=3000)
    for number in range(10):
        pages.put(f"k{number}", (b"%d" % number) * 1000, {})
    assert len(pages) == 2 and pages.get("k9") is not None and pages.get("k8") is not None
    assert pages.get("k7") is None
    big = pages.put("big", b"x" * 5000, {})
    assert gzip.decompress(big.gzipped) == big.body and pages.get("big") is None


@pytest.mark.parametrize(("header", "accepted"), [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True),
    ("gzip;q=0", False), ("identity", False), ("", False), ("*", True), ("gzip;q=0.0", False),
])
def test_accept_encoding(header, accepted):
    assert accepts_gzip(header) is accepted


def test_a_page_is_rendered_once_however_many_ask_at_once():
    pages, renders, start = PageCache(), [], threading.Barrier(8)

    def render() -> tuple[bytes, dict[str, str]]:
        renders.append(1)
        time.sleep(0.2)  # the others arrive while this one renders
        return b"<p>page</p>", {}

    def ask() -> bytes:
        start.wait()
        return pages.get_or_render("key", render).body

    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda _: ask(), range(8)))
    assert bodies == [b"<p>page</p>"] * 8 and len(renders) == 1


def test_the_version_follows_the_work_the_document_translates(app, library):
    tokens = [document_version(library, "doc")]
    with library.transaction() as session:
        work = works.find_or_add_work(session, "declaration", "Declaration", "zh-Hans")
        version = works.add_version(session, work, "1948", None, None)
        own_works.link_document(session, "doc", version)
    tokens.append(document_version(library, "doc"))
    with library.transaction() as session:
        works.find_work(session, "declaration").title = "The Declaration"
    tokens.append(document_version(library, "doc"))
    assert len(set(tokens)) == 3  # linked to a work, then the work renamed


def test_the_version_query_runs_on_postgresql(postgres_url):
    database = open_library(postgres_url)
    try:
        add_document(database, META, ZH, EN)
        editor = add_user(database, "editor1", PASSWORD, "editor")
        before = document_version(database, "doc")
        change_status(database, editor, "doc", "withdrawn")
        with pytest.raises(NotFound):
            document_version(database, "doc")
        assert document_version(database, "doc", statuses=EVERY_STATUS) != before
    finally:
        database.dispose()


def test_the_version_changes_when_its_work_gains_a_version_or_a_translation(app, library):
    """The page's citation names the version and the translation once the work has several,
    so a cached page must not outlive a sibling's arrival."""
    with library.transaction() as session:
        work = works.find_or_add_work(session, "declaration", "Declaration", "zh-Hans")
        version = works.add_version(session, work, "1948", None, None)
        own_works.link_document(session, "doc", version)
    tokens = [document_version(library, "doc")]
    add_document(library, {**META, "slug": "doc-2", "translator": "Someone Else"}, ZH, EN)
    with library.transaction() as session:
        version = works.existing_version(session, works.find_work(session, "declaration"), "1948")
        own_works.link_document(session, "doc-2", version)  # a second translation
    tokens.append(document_version(library, "doc"))
    with library.transaction() as session:
        works.add_version(session, works.find_work(session, "declaration"), "2000", None, None)
    tokens.append(document_version(library, "doc"))
    assert len(set(tokens)) == 3


def scope_for(app, path: str, query: bytes = b"", cookie: str | None = None,
              root_path: str = "") -> dict:
    """The ASGI scope of an anonymous GET as it reaches ``CachedReaderPages``."""
    headers = [(b"host", b"testserver"), (b"accept-encoding", b"gzip")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return {"type": "http", "method": "GET", "path": path, "root_path": root_path,
            "query_string": query, "headers": headers, "app": app, "scheme": "http",
            "server": ("testserver", 80), "http_version": "1.1"}


def test_a_kept_page_is_answered_before_routing_only_when_nothing_can_differ(app, editor):
    with client(app) as reader:
        page = reader.get("/documents/doc?view=original")
    kept = kept_page(scope_for(app, "/documents/doc", b"view=original"))
    assert kept is not None and kept.body == page.content and kept.etag == page.headers["etag"]
    assert kept_page(scope_for(app, "/documents/doc")) is None  # the side view: not kept yet
    session = "; ".join(f"{name}={value}" for name, value in editor.cookies.items())
    for path, query, cookie in [
        ("/documents/doc", b"view=original", session),  # perhaps an editor: the route
        ("/documents/doc", b"view=original&reported=2", None),  # a notice is one reader's
        ("/documents/doc", b"view=original&view=side", None),
        ("/documents/doc", b"view=" + b"o" * 21, None),  # the route's 422
        ("/documents/doc/", b"view=original", None),
        ("/documents/other", b"view=original", None),
    ]:
        assert kept_page(scope_for(app, path, query, cookie)) is None, (path, query)


def test_a_page_kept_behind_a_root_path_is_its_own(app):
    with TestClient(behind_proxy(app, "/lib")) as proxied, client(app) as direct:
        first = proxied.get("/lib/documents/doc")
        assert kept_page(scope_for(app, "/lib/documents/doc", root_path="/lib")) is not None
        again = proxied.get("/lib/documents/doc")  # answered before routing
        plain = direct.get("/documents/doc")
    assert again.content == first.content and 'href="/lib/documents/doc/' in again.text
    assert plain.headers["etag"] != again.headers["etag"]
    assert 'href="/lib/' not in plain.text


def test_a_kept_page_costs_no_query_until_something_is_committed(app, library):
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        if statement.startswith("SELECT"):  # not the BEGIN around it
            statements.append(statement)

    with client(app) as reader:
        first = reader.get("/documents/doc")
        event.listen(library.read_engine, "before_cursor_execute", count)
        try:
            again = [reader.get("/documents/doc") for _ in range(5)]
            assert statements == []  # answered from memory: no version query
            add_user(library, "editor2", PASSWORD, "editor")  # a commit elsewhere
            after = reader.get("/documents/doc")
            assert len(statements) == 1  # the version read once more, and found unchanged
        finally:
            event.remove(library.read_engine, "before_cursor_execute", count)
    assert {r.headers["etag"] for r in [*again, after]} == {first.headers["etag"]}


def test_a_write_by_another_worker_shows_on_the_next_request(app, library):
    """Another process writes through its own engines (as another uvicorn worker would):
    this app's next answer shows it, though its page was kept and answered early."""
    other = open_library(library.url.render_as_string(hide_password=False))
    try:
        editor = add_user(other, "editor2", PASSWORD, "editor")
        with client(app) as reader:
            etags = {reader.get("/documents/doc").headers["etag"]}
            assert kept_page(scope_for(app, "/documents/doc")) is not None
            wrong = get_document(other, "doc").rows[1].translation[0]
            edit_paragraph(other, editor, "doc", "translation", wrong.id, 1,
                           "Article 2. All are equal.", "Spelling")
            assert kept_page(scope_for(app, "/documents/doc")) is None  # the counter moved
            page = reader.get("/documents/doc")
            assert "Articel" not in page.text and page.headers["etag"] not in etags
            etags.add(page.headers["etag"])
            change_status(other, editor, "doc", "withdrawn")
            assert reader.get("/documents/doc").status_code == 404
            change_status(other, editor, "doc", "published")
            page = reader.get("/documents/doc")
            assert page.status_code == 200 and page.headers["etag"] not in etags
    finally:
        other.dispose()


def test_without_a_commit_counter_every_version_is_read(postgres_url):
    database = open_library(postgres_url)
    try:
        add_document(database, META, ZH, EN)
        versions = DocumentVersions(database)
        assert versions.current("doc") == document_version(database, "doc")
        assert versions.known("doc") is None  # PostgreSQL: nothing is remembered
    finally:
        database.dispose()


def test_the_commit_counter_moves_with_each_commit_and_only_then(library):
    counter = CommitCounter(library)
    first = counter.value()
    assert first is not None and counter.value() == first  # nothing committed meanwhile
    add_user(library, "editor2", PASSWORD, "editor")
    second = counter.value()
    assert second not in (None, first)
    library.dispose()  # closes the counter's connection; asked again, it opens another
    assert counter.value() is not None
    assert CommitCounter(Database("sqlite://")).value() is None  # in memory: no counter
