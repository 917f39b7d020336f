"""The editorial workflow through the web app: report → queue → correction → history."""

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from bitext.services.accounts import add_user
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.settings import Settings
from bitext.web.app import create_app

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}
ZH = "第一条。人人生而自由。\n第二条。人人平等。\n第三条。人人有权利。\n"
EN = ("Article 1. All are born free.\nArticel 2. All are equal.\n"
      "Article 3. Everyone has rights.\n")
PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"


def make_client(database, tmp_path, base_url="http://testserver", **settings) -> TestClient:
    app = create_app(database, settings=Settings(secret_key=SECRET, data_dir=tmp_path,
                                                 **settings))
    return TestClient(app, base_url=base_url, follow_redirects=False)


@pytest.fixture
def doc(library):
    add_document(library, META, ZH, EN)
    add_document(library, {**META, "slug": "draft-doc", "status": "draft",
                           "title_translation": "Secret draft"}, ZH, EN)
    add_user(library, "editor1", PASSWORD, "editor")
    add_user(library, "editor2", PASSWORD, "editor")
    add_user(library, "boss", PASSWORD, "editor")
    return library


@pytest.fixture
def reader(doc, tmp_path):
    with make_client(doc, tmp_path) as client:
        yield client


@pytest.fixture
def editor(doc, tmp_path):
    with make_client(doc, tmp_path) as client:
        log_in(client, "editor1")
        yield client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return unescape(match.group(1))


def post(client: TestClient, page: str, action: str, data: dict):
    """Load ``page`` (for its CSRF token), then post ``data`` to ``action`` as a browser
    would."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf": token})


def log_in(client: TestClient, name: str, password: str = PASSWORD, next_path: str = "/"):
    response = post(client, "/login", "/login",
                    {"name": name, "password": password, "next": next_path})
    assert response.status_code == 303, response.text
    return response


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def paragraph_id(database, row: int, side: str = "translation", slug: str = "doc") -> int:
    view = get_document(database, slug, statuses=EVERY_STATUS)
    return getattr(view.rows[row], side)[0].id


def test_login_sets_a_signed_httponly_cookie_and_logout_ends_the_session(reader):
    response = log_in(reader, "editor1", next_path="/editor/reports")
    assert response.headers["location"] == "/editor/reports"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("bitext_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Path=/" in session
    assert reader.get("/editor/reports").status_code == 200
    assert "no-store" in reader.get("/editor/reports").headers["cache-control"]
    response = post(reader, "/", "/logout", {})
    assert response.status_code == 303
    assert reader.get("/editor/reports").status_code == 404


@pytest.mark.parametrize(("base_url", "setting"), [
    ("https://testserver", False), ("https://testserver", True)])
def test_https_gets_secure_host_prefixed_cookies(doc, tmp_path, base_url, setting):
    with make_client(doc, tmp_path, base_url, https_cookies=setting) as client:
        response = log_in(client, "editor1")
        cookies = response.headers.get_list("set-cookie")
        session = next(c for c in cookies if "bitext_session=" in c)
        assert session.startswith("__Host-bitext_session=")
        assert "Secure" in session and "HttpOnly" in session and "SameSite=lax" in session


def test_wrong_password_and_throttling_are_explained(reader):
    response = post(reader, "/login", "/login", {"name": "editor1", "password": "wrong pass"})
    assert response.status_code == 400 and "wrong user name or password" in response.text
    for _ in range(6):
        response = post(reader, "/login", "/login",
                        {"name": "editor1", "password": "wrong pass"})
    assert response.status_code == 429
    assert "too many failed logins" in response.text


def test_full_correction_workflow(doc, reader, editor):
    # A reader reports an error on paragraph 2 of the translation.
    page = reader.get("/documents/doc").text
    assert page.count(">Report an error<") == 3  # one in each row's menu, no form per row
    wrong = paragraph_id(doc, 1)
    response = post(reader, "/documents/doc/report?row=1", "/documents/doc/reports", {
        "paragraph": f"translation:{wrong}", "quoted": "Articel",
        "suggestion": "Article", "email": "reader@example.org",
    })
    assert response.status_code == 303
    assert response.headers["location"] == "/documents/doc?reported=2#p2"
    thanked = reader.get(response.headers["location"]).text
    # The thank-you is in row 2, where the reader lands, not at the top of the page.
    assert thanked.count("Thank you") == 1
    assert "Thank you" in thanked[thanked.index('id="p2"'):thanked.index('id="p3"')]

    # The editor sees it in the queue, beside the paragraph in both languages.
    queue = editor.get("/editor/reports").text
    assert "Articel 2. All are equal." in queue and "第二条。人人平等。" in queue
    report_id = int(re.search(r'id="report-(\d+)"', queue).group(1))

    # The editor corrects the paragraph.
    form_path = f"/documents/doc/paragraphs/{wrong}/edit?side=translation"
    form = editor.get(form_path)
    assert form.status_code == 200 and 'name="base" value="1"' in form.text
    response = post(editor, form_path, form_path, {
        "text": "Article 2. All are equal.", "note": "Spelling of “Article”.", "base": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == "/documents/doc?saved=1#p2"

    # ... and accepts the report, linked to revision 2.
    response = post(editor, "/editor/reports", f"/editor/reports/{report_id}",
                    {"status": "accepted", "revision": "2", "back": "open"})
    assert response.status_code == 303
    # The queue says what became of the report, which has left the list the editor was on.
    after = editor.get(response.headers["location"]).text
    assert ('The report is marked accepted: it is listed under '
            '<a href="/editor/reports?status=accepted">Accepted</a>.') in after
    accepted = editor.get("/editor/reports?status=accepted").text
    assert "fixed in revision 2" in accepted
    assert "No open reports" in editor.get("/editor/reports").text

    # Readers see the correction, its note, the history and the diff.
    page = reader.get("/documents/doc").text
    assert "Corrected on" in page and "Spelling of “Article”." in page
    assert "Article 2. All are equal." in text_of(page) and "Articel" not in page
    history = reader.get("/documents/doc/history")
    assert history.status_code == 200 and "Translation, revision 2" in history.text
    assert "editor1" in history.text
    diff = reader.get("/documents/doc/diff?side=translation&old=1&new=2")
    assert diff.status_code == 200
    # Whole words marked, with the count of changes at the top.
    assert "<del>Articel</del> 2." in diff.text and "<ins>Article</ins> 2." in diff.text
    assert "1 paragraph changed:" in diff.text and "1 edited, 0 added, 0 removed" in diff.text

    # The old paragraph's permalink leads to its corrected text, with a notice.
    response = reader.get(f"/documents/doc/paragraphs/{wrong}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/documents/doc?changed={wrong}#p2"
    assert "has been corrected since" in reader.get(response.headers["location"]).text
    unchanged = paragraph_id(doc, 0)
    response = reader.get(f"/documents/doc/paragraphs/{unchanged}")
    assert response.headers["location"] == "/documents/doc#p1"

    # The audit log shows who, what and from where.
    audit = editor.get("/editor/audit").text
    for action in ("report.add", "paragraph.edit", "report.accepted", "login"):
        assert action in audit
    assert "testclient" in audit and "editor1" in audit


def test_edit_conflict_keeps_both_texts(doc, tmp_path):
    target = paragraph_id(doc, 1)
    path = f"/documents/doc/paragraphs/{target}/edit?side=translation"
    with make_client(doc, tmp_path) as first, make_client(doc, tmp_path) as second:
        log_in(first, "editor1")
        log_in(second, "editor2")
        first_token = csrf_of(first.get(path).text)
        second_token = csrf_of(second.get(path).text)
        saved = first.post(path, data={"text": "Article 2. All are equal (first).",
                                       "note": "first", "base": "1", "csrf": first_token})
        assert saved.status_code == 303
        lost = second.post(path, data={"text": "Article 2. Everyone is equal (second).",
                                       "note": "second", "base": "1", "csrf": second_token})
    assert lost.status_code == 409
    assert "someone else saved this text first" in lost.text
    assert "Article 2. All are equal (first)." in lost.text  # theirs
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", lost.text, re.S).group(1)
    assert textarea == "Article 2. Everyone is equal (second)."  # yours, kept to resubmit
    assert 'name="base" value="2"' in lost.text
    # The form now targets the current paragraph, so sending it again works.
    action = unescape(re.search(r'<form class="stack-form" method="post" action="([^"]+)"',
                                lost.text).group(1))
    assert action != path
    with make_client(doc, tmp_path) as second:
        log_in(second, "editor2")
        token = csrf_of(second.get(action).text)
        again = second.post(action, data={"text": textarea, "note": "second", "base": "2",
                                          "csrf": token})
        assert again.status_code == 303


def test_unchanged_text_or_missing_note_shows_the_form_again(doc, editor):
    target = paragraph_id(doc, 1)
    path = f"/documents/doc/paragraphs/{target}/edit?side=translation"
    response = post(editor, path, path, {"text": "Better text.", "note": " ", "base": "1"})
    assert response.status_code == 400 and "please say what you changed" in response.text
    assert "Better text." in response.text  # nothing lost


def test_alignment_merge_split_and_confirm_through_forms(doc, editor):
    page = editor.get("/documents/doc/alignment")
    assert page.status_code == 200 and page.text.count('class="bead-form"') == 3

    def change(operation: str, position: int, **fields):
        base = get_document(doc, "doc").alignment_id
        return post(editor, "/documents/doc/alignment", "/documents/doc/alignment", {
            "base_alignment": str(base), "level": "paragraph", "position": str(position),
            "operation": operation, **fields})

    assert change("merge", 0).status_code == 303
    assert len(get_document(doc, "doc").rows) == 2
    assert change("split", 0, source_count="1", target_count="1").status_code == 303
    assert len(get_document(doc, "doc").rows) == 3
    assert change("confirm", 2).status_code == 303
    assert get_document(doc, "doc").paragraph_beads[2].confirmed
    # A stale base is refused with a clear message and changes nothing.
    before = get_document(doc, "doc").alignment_id
    stale = post(editor, "/documents/doc/alignment", "/documents/doc/alignment", {
        "base_alignment": str(before - 1), "level": "paragraph", "position": "0",
        "operation": "merge"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert get_document(doc, "doc").alignment_id == before
    # Sentence beads of a chosen row.
    rows = editor.get("/documents/doc/alignment?row=1").text
    assert "Sentences of row 1" in rows and rows.count('class="bead-form"') > 3


def test_metadata_edit_and_status_changes(doc, editor, reader):
    form = editor.get("/documents/doc/metadata")
    assert form.status_code == 200 and 'name="base" value="0"' in form.text
    response = post(editor, "/documents/doc/metadata", "/documents/doc/metadata", {
        "title_original": "宣言", "title_translation": "The Declaration",
        "summary": "A short summary.", "tags": "rights, law",
        "authors": "联合国 | Lianheguo", "note": "Better title", "base": "0"})
    assert response.status_code == 303
    meta = get_document(doc, "doc").meta
    assert meta.title_translation == "The Declaration" and sorted(meta.tags) == ["law", "rights"]
    assert meta.authors[0].romanized == "Lianheguo"
    assert "Better title" in reader.get("/documents/doc").text

    # Withdraw: readers get 404; editors see it marked; publish again.
    response = post(editor, "/documents/doc", "/documents/doc/status", {"status": "withdrawn"})
    assert response.status_code == 303
    assert reader.get("/documents/doc").status_code == 404
    page = editor.get("/documents/doc").text
    assert "Withdrawn: not visible to readers" in page
    post(editor, "/documents/doc", "/documents/doc/status", {"status": "published"})
    assert reader.get("/documents/doc").status_code == 200
    # Publishing a draft.
    assert reader.get("/documents/draft-doc").status_code == 404
    library = editor.get("/").text
    assert "Secret draft" in library and "status-marker--draft" in library
    post(editor, "/documents/draft-doc", "/documents/draft-doc/status", {"status": "published"})
    assert reader.get("/documents/draft-doc").status_code == 200


def test_report_errors_keep_what_the_reader_wrote(doc, reader):
    target = paragraph_id(doc, 1)
    response = post(reader, "/documents/doc/report?row=1", "/documents/doc/reports", {
        "paragraph": f"translation:{target}", "quoted": "Articel", "suggestion": "Article",
        "email": "not-an-address"})
    assert response.status_code == 400 and "email address" in response.text
    assert "Articel" in response.text and "not-an-address" in response.text


def test_every_editor_sees_the_audit_log(doc, tmp_path):
    with make_client(doc, tmp_path) as client:
        log_in(client, "boss")
        assert client.get("/editor/audit").status_code == 200


def test_queue_shows_the_current_row_and_offers_the_revisions(doc, reader, editor):
    wrong = paragraph_id(doc, 1)
    post(reader, "/documents/doc/report?row=2", "/documents/doc/reports", {
        "paragraph": f"translation:{wrong}", "quoted": "Articel", "suggestion": "Article"})
    queue = editor.get("/editor/reports").text
    # Both sides of the row, the original included, and the revisions to pick from.
    assert "第二条。人人平等。" in queue and "Articel 2. All are equal." in queue
    assert re.search(r'<select id="revision-\d+" name="revision">', queue)
    assert '<option value="1">Translation revision 1 (current)</option>' in queue
    report_id = int(re.search(r'id="report-(\d+)"', queue).group(1))

    form_path = f"/documents/doc/paragraphs/{wrong}/edit?side=translation"
    saved = post(editor, form_path, form_path, {"text": "Article 2. All are equal.",
                                                "note": "Spelling.", "base": "1"})
    assert saved.status_code == 303, saved.text
    queue = editor.get("/editor/reports").text
    # After the correction: the current text, not the reported one, and revision 2 chosen.
    assert "Article 2. All are equal." in queue and "Articel 2." not in queue.split("Quoted")[0]
    assert "第二条。人人平等。" in queue and "Corrected since this report" in queue
    assert '<option value="2" selected>Translation revision 2 (current)</option>' in queue

    post(editor, "/editor/reports", f"/editor/reports/{report_id}",
         {"status": "accepted", "revision": "2", "back": "open"})
    accepted = editor.get("/editor/reports?status=accepted").text
    assert "fixed in revision 2" in accepted
    assert 'name="status" value="accepted"' not in accepted
    assert 'name="status" value="rejected"' not in accepted
    assert 'value="open">Reopen' in accepted and "Correct this paragraph" not in accepted
