"""The glossary pages and the editors' glossary and checks pages, through the web app."""

import json
import re
from html import unescape

import pytest

from bitext.services.accounts import add_user
from bitext.services.audit_log import audit_entries
from bitext.services.glossary import import_glossary
from bitext.services.library import add_document
from tests.samples import UDHR_EN, UDHR_METADATA, UDHR_ZH
from tests.test_web_editorial import PASSWORD, csrf_of, log_in, make_client, post

ENTRY = {"zh": "人身安全", "zh_hant": "人身安全", "pinyin": "rén shēn ān quán",
         "canonical_en": "security of person", "canonical_source": "https://www.un.org/",
         "variants_en": ["personal security"], "category": "human rights"}


@pytest.fixture
def glossary_library(library):
    add_document(library, {**UDHR_METADATA, "status": "published"}, UDHR_ZH, UDHR_EN)
    import_glossary(library, (json.dumps(ENTRY, ensure_ascii=False) + "\n").encode(), "jsonl")
    add_user(library, "editor1", PASSWORD, "editor")
    return library


@pytest.fixture
def client(glossary_library, tmp_path):
    with make_client(glossary_library, tmp_path) as client:
        yield client


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_entry_page_shows_the_entry_and_what_the_library_does_with_it(client):
    response = client.get("/glossary/人身安全")
    assert response.status_code == 200
    html = response.text
    text = text_of(html)
    for shown in ("rén shēn ān quán", "security of person", "personal security",
                  "https://www.un.org/", "Occurrences (1)"):
        assert shown in text
    assert "<mark>人身安全</mark>" in html
    assert re.search(r'<mark class="glossary-known">security of person</mark>', html)
    renderings = html.split('id="renderings"')[1].split("</table>")[0]
    assert "security of person" in renderings and ">1<" in renderings
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert "<title" in svg and "<rect" in svg and ">1948<" in svg
    table = html.split('class="glossary-chart__table"')[1].split("</table>")[0]
    assert "<td>1948</td>" in table


def test_the_index_lists_terms_with_occurrences_and_the_tbx_downloads(client):
    text = text_of(client.get("/glossary").text)
    assert "人身安全 rén shēn ān quán security of person 1" in text
    tbx = client.get("/glossary.tbx")
    assert tbx.status_code == 200 and b"<term>security of person</term>" in tbx.content


def test_an_unknown_term_is_a_plain_404(client):
    response = client.get("/glossary/不存在")
    assert response.status_code == 404
    assert "不存在" not in response.text


def test_editor_pages_are_hidden_from_readers_and_forms_need_the_csrf_token(client):
    assert client.get("/editor/glossary").status_code == 404
    assert client.get("/editor/checks/udhr").status_code == 404
    log_in(client, "editor1")
    refused = client.post("/editor/glossary", data={"term": "新词", "note": "x"})
    assert refused.status_code == 403


def test_an_editor_adds_and_corrects_an_entry(client, glossary_library):
    log_in(client, "editor1")
    added = post(client, "/editor/glossary", "/editor/glossary",
                 {"term": "世界人权宣言", "canonical": "Universal Declaration of Human Rights",
                  "variants": "UDHR\n", "note": "new"})
    assert added.status_code == 303
    assert unescape(added.headers["location"]).endswith("/glossary/%E4%B8%96%E7%95%8C%E4%BA"
                                                       "%BA%E6%9D%83%E5%AE%A3%E8%A8%80")
    page = "/editor/glossary?term=人身安全"
    form = client.get(page).text
    assert 'value="security of person"' in form
    corrected = post(client, page, "/editor/glossary",
                     {"existing": "yes", "term": "人身安全", "canonical": "security of person",
                      "variants": "personal security\npersonal safety", "note": "UN usage"})
    assert corrected.status_code == 303
    text = text_of(client.get("/glossary/人身安全").text)
    assert "personal safety" in text and "Revision 2 — UN usage" in text
    actions = [e.action for e in audit_entries(glossary_library).entries]
    assert actions[:2] == ["glossary.edit", "glossary.edit"]


def test_a_bad_entry_is_refused_on_the_form_with_what_was_typed(client):
    log_in(client, "editor1")
    response = post(client, "/editor/glossary", "/editor/glossary",
                    {"term": "新词", "canonical": "bell\x07", "note": "x"})
    assert response.status_code == 400
    assert "control character" in response.text
    assert 'value="新词"' in response.text


def test_an_editor_dismisses_a_finding_with_a_reason(client, glossary_library):
    log_in(client, "editor1")
    page = client.get("/editor/checks/udhr").text
    keys = re.findall(r'name="key" value="([0-9a-f]+)"', page)
    if not keys:
        pytest.skip("the sample has no finding to dismiss")
    response = client.post("/editor/checks/udhr", data={
        "key": keys[0], "reason": "as in the official text", "csrf": csrf_of(page)})
    assert response.status_code == 303
    after = client.get(response.headers["location"]).text
    assert keys[0] not in after and "dismissed" in after
    entry = audit_entries(glossary_library).entries[0]
    assert entry.action == "qa.dismiss" and entry.detail["reason"] == "as in the official text"


def test_an_entry_shows_passages_that_use_its_expansion(client, glossary_library):
    numbered = {"zh": "三项权利", "canonical_en": "three rights",
                "expansion_zh": "生命、自由、人身安全"}
    import_glossary(glossary_library,
                    (json.dumps(numbered, ensure_ascii=False) + "\n").encode(), "jsonl")
    html = client.get("/glossary/三项权利").text
    section = html.split('id="expansion"')[1].split("</section>")[0]
    assert [unescape(p) for p in re.findall(r'<h3 lang="zh-Hans">([^<]+) <', section)] == [
        "生命", "自由", "人身安全"]
    assert "<mark>人身安全</mark>" in section
    assert "security of person" in section  # the aligned sentence


def test_the_checks_api_lists_open_findings_of_published_documents_only(client,
                                                                      glossary_library):
    from bitext.services.library import set_status

    report = client.get("/api/documents/udhr/checks").json()
    assert report["slug"] == "udhr" and report["open"] == len(report["findings"])
    assert all(f["row"] >= 1 and f["kind"] and f["message"] for f in report["findings"])
    set_status(glossary_library, "udhr", "draft")
    hidden = client.get("/api/documents/udhr/checks")
    assert hidden.status_code == 404 and hidden.json()["error"]["message"] == (
        "Document not found")
