"""Translation checks on the web: publishing a document with open findings asks first
(the findings listed, a note required, the note kept in the audit log), and the checks
page shows how each correction changed the findings."""

import re
from html import unescape

import pytest

from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.audit_log import audit_entries
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, get_document
from tests.test_qa_stored import EN, META, ZH
from tests.test_web_editorial import PASSWORD, csrf_of, log_in, make_client


@pytest.fixture
def draft(library):
    add_document(library, META, ZH, EN)  # a draft with one number finding
    return library


@pytest.fixture
def account(draft):
    return add_user(draft, "editor1", PASSWORD, "editor")


@pytest.fixture
def editor(draft, account, tmp_path):
    with make_client(draft, tmp_path) as client:
        log_in(client, "editor1")
        yield client


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def status_of(library) -> str:
    return get_document(library, "doc", statuses=EVERY_STATUS).meta.status


def test_publishing_with_open_findings_asks_with_the_findings_then_takes_a_note(draft,
                                                                                editor):
    token = csrf_of(editor.get("/documents/doc").text)
    asked = editor.post("/documents/doc/status", data={"status": "published", "csrf": token})
    assert asked.status_code == 200 and 'value="yes"' in asked.text
    assert status_of(draft) == "draft"
    text = text_of(asked.text)
    assert "1 open finding" in text and "numbers differ" in text and "16" in text
    assert 'href="/editor/checks/doc"' in asked.text
    no_note = editor.post("/documents/doc/status", data={
        "status": "published", "despite_findings": "yes", "note": " ",
        "csrf": csrf_of(asked.text)})
    assert no_note.status_code == 400 and "say in the note why" in no_note.text
    assert status_of(draft) == "draft"
    done = editor.post("/documents/doc/status", data={
        "status": "published", "despite_findings": "yes",
        "note": "the date <is> as printed", "csrf": csrf_of(no_note.text)})
    assert done.status_code == 303
    assert status_of(draft) == "published"
    entry = audit_entries(draft).entries[0]
    assert (entry.action, entry.detail["note"], entry.detail["open_findings"]) == (
        "document.status", "the date <is> as printed", 1)
    audit_page = editor.get("/editor/audit").text
    assert "the date &lt;is&gt; as printed" in audit_page and "<is>" not in audit_page


def test_other_status_changes_are_not_asked_about(draft, editor):
    token = csrf_of(editor.get("/documents/doc").text)
    refused = editor.post("/documents/doc/status", data={"status": "withdrawn", "csrf": token})
    assert refused.status_code == 400
    assert "a draft document cannot become withdrawn" in refused.text


def test_the_confirmation_needs_an_editor_and_a_csrf_token(draft, tmp_path, editor):
    with make_client(draft, tmp_path) as stranger:
        response = stranger.post("/documents/doc/status", data={
            "status": "published", "despite_findings": "yes", "note": "x"})
        assert response.status_code in (403, 404)
    forged = editor.post("/documents/doc/status", data={
        "status": "published", "despite_findings": "yes", "note": "x"})
    assert forged.status_code == 403
    assert status_of(draft) == "draft"


def test_the_checks_page_shows_what_a_correction_resolved(draft, account, editor):
    paragraph = get_document(draft, "doc", statuses=EVERY_STATUS).rows[0].translation[0]
    editing.edit_paragraph(draft, account, "doc", "translation", paragraph.id, 1,
                           "Article 1. This Decision was adopted on April 15, 2022.", "date")
    page = editor.get("/editor/checks/doc").text
    history = page.split("How the findings changed")[1].split("</table>")[0]
    cells = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)]
    assert cells[0].startswith("Checked") and len(cells) == 3
    assert cells[1].endswith("text correction 1, 2 0 0 1")
    assert cells[2].endswith("import 1, 1 1 1 0")



def test_an_editor_sees_a_drafts_checks_notice_and_a_reader_does_not(draft, editor,
                                                                      tmp_path):
    report = editor.get("/api/documents/doc/checks").json()
    assert report["open"] == 1 and report["findings"][0]["kind"] == "numbers"
    with make_client(draft, tmp_path) as reader:
        assert reader.get("/api/documents/doc/checks").status_code == 404


def test_the_document_page_links_an_editor_to_its_checks(editor):
    page = editor.get("/documents/doc").text
    assert re.search(r'<a href="/editor/checks/doc">Translation checks</a>', page)
