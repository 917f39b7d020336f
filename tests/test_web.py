"""The web layer through the ASGI app: pages, filters, the reader, errors, headers, API."""

import re

import pytest
from fastapi.testclient import TestClient
from pages import Page
from samples import UDHR_EN, UDHR_ZH

from bitext.services.library import add_document
from bitext.settings import Settings
from bitext.web.app import create_app
from bitext.web.errors import GENERIC_MESSAGES
from bitext.web.headers import CONTENT_SECURITY_POLICY

POLICY = [
    (["我们要坚持以人民为中心的发展思想。", "发展为了人民，发展依靠人民。"],
     ["We must adhere to the people-centred philosophy of development.",
      "Development is for the people and relies on the people."]),
    (["要推动高质量发展。", "创新是引领发展的第一动力。"],
     ["We must promote high-quality development.",
      "Innovation is the primary force driving development."]),
    (["要扩大高水平对外开放。", "开放带来进步，封闭必然落后。"],
     ["We must expand high-standard opening up.",
      "Openness brings progress, while seclusion leaves one behind."]),
]
POLICY_ZH = "\n\n".join("".join(zh) for zh, _ in POLICY)
POLICY_EN = "\n\n".join(" ".join(en) for _, en in POLICY)

XSS = "<script>alert(1)</script>"
UN_URL = "https://www.un.org/zh/about-us/universal-declaration-of-human-rights"


def metadata(slug: str, **fields) -> dict:
    return {
        "slug": slug,
        "title_original": fields.pop("title_original", f"标题 {slug}"),
        "title_translation": fields.pop("title_translation", f"Title {slug}"),
        "language_original": "zh-Hans",
        "language_translation": "en",
        "status": "published",
        **fields,
    }


@pytest.fixture
def filled_library(library):
    add_document(library, metadata(
        "udhr", title_original="世界人权宣言",
        title_translation="Universal Declaration of Human Rights",
        authors=[{"name": "联合国大会", "romanized": "Lianheguo Dahui"}],
        source="联合国", source_translation="United Nations", date="1948-12-10",
        tags=["human rights", "law"], summary="Articles 1, 2, 3 and 26 of the Declaration.",
        licence="Public domain", url_original=UN_URL,
    ), UDHR_ZH, UDHR_EN)
    add_document(library, metadata(
        "policy-2023", title_original="坚持以人民为中心",
        title_translation="Putting the People First",
        authors=[{"name": "王伟", "romanized": "Wang Wei"}],
        source="人民日报", source_translation="People's Daily", date="2023-05-04",
        tags=["policy", "development"],
    ), POLICY_ZH, POLICY_EN)
    add_document(library, metadata(
        "hostile", title_translation=XSS, title_original="{{7*7}}", date="2024-01-02",
        source_translation="Example Press", tags=["test"],
        url_original="http://example.org/a?b=1&c=<2>", summary='"quoted" & <b>bold</b>',
    ), POLICY_ZH, POLICY_EN)
    add_document(library, metadata("secret-draft", status="draft", date="2024-06-01",
                                    tags=["policy"]), POLICY_ZH, POLICY_EN)
    return library


@pytest.fixture
def client(filled_library):
    with TestClient(create_app(filled_library)) as test_client:
        yield test_client


def slugs_in(html: str) -> list[str]:
    return re.findall(r'href="/documents/([a-z0-9-]+)"', html)


def bead_pairs(html: str) -> tuple[list[list[str]], list[list[str]]]:
    """The data-bead values of each row, per side, in reading order."""
    rows = re.split(r'<div class="row[^"]*" id="p\d+"[^>]*>', html)[1:]
    original, translation = [], []
    for row in rows:
        parts = row.split('class="side side--translation"')
        original.append(re.findall(r'data-bead="(\d+)"', parts[0]))
        translation.append(re.findall(r'data-bead="(\d+)"', parts[1]) if len(parts) > 1 else [])
    return original, translation


# The library page


def test_library_lists_published_documents_newest_first(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert slugs_in(response.text) == ["hostile", "policy-2023", "udhr"]
    html = response.text
    assert "世界人权宣言" in html and "Universal Declaration of Human Rights" in html
    assert '<span lang="zh-Hans" dir="auto">联合国大会</span>' in html
    assert "(<bdi>Lianheguo Dahui</bdi>)" in html
    assert "People&#39;s Daily" in html and "人民日报" in html
    assert '<time datetime="1948-12-10">10 December 1948</time>' in html
    assert 'href="/?tag=human+rights"' in html
    assert "secret-draft" not in html
    assert html.count("<h1") == 1


def test_library_filter_form_offers_facet_values(client):
    page = Page(client.get("/").text)
    assert [o["value"] for o in page.find("option")] == [
        "", "development", "human rights", "law", "policy", "test",      # tags
        "", "Example Press", "People's Daily", "United Nations",          # sources
        "", "2024", "2023", "1948",                                       # years
    ]
    assert page.find("form", method="get", action="/")


@pytest.mark.parametrize(("query", "expected"), [
    ("?tag=policy", ["policy-2023"]),
    ("?tag=human+rights", ["udhr"]),
    ("?source=United+Nations", ["udhr"]),
    ("?source=人民日报", ["policy-2023"]),
    ("?year=2023", ["policy-2023"]),
    ("?tag=&source=&year=", ["hostile", "policy-2023", "udhr"]),  # the form's "All"
    ("?tag=law&year=2023", []),
])
def test_library_filters(client, query, expected):
    response = client.get("/" + query)
    assert response.status_code == 200
    assert slugs_in(response.text) == expected
    if not expected:
        assert "No documents match these filters" in response.text


def test_library_selected_filter_is_kept_in_the_form(client):
    page = Page(client.get("/?tag=policy&year=2023").text)
    assert [o["value"] for o in page.find("option") if "selected" in o] == ["policy", "2023"]


def test_library_bad_year_is_a_clean_error(client):
    response = client.get("/?year=19x8")
    assert response.status_code == 400
    assert "19x8" not in response.text


def test_library_pagination(client):
    first = client.get("/?per_page=2")
    assert slugs_in(first.text) == ["hostile", "policy-2023"]
    assert "Page 1 of 2" in first.text
    assert 'rel="next" href="/?per_page=2&amp;page=2"' in first.text
    second = client.get("/?per_page=2&page=2")
    assert slugs_in(second.text) == ["udhr"]
    assert 'rel="prev" href="/?per_page=2"' in second.text
    assert 'rel="next"' not in second.text


def test_library_page_size_from_settings(filled_library):
    app = create_app(filled_library, settings=Settings(page_size_documents=1))
    with TestClient(app) as client:
        assert slugs_in(client.get("/?page=3").text) == ["udhr"]
        filtered = client.get("/?tag=policy")
        assert "Page 1 of" not in filtered.text  # one match, one page


# The reader


def test_document_page_header(client):
    response = client.get("/documents/udhr")
    assert response.status_code == 200
    html = response.text
    page = Page(html)
    assert html.count("<h1") == 1
    assert ('<span class="document__title-original" lang="zh-Hans" dir="auto">世界人权宣言'
            '</span>') in html
    assert "Universal Declaration of Human Rights" in html
    assert "(<bdi>Lianheguo Dahui</bdi>)" in html
    assert "联合国" in html and "United Nations" in html
    assert "10 December 1948" in html
    assert "Articles 1, 2, 3 and 26 of the Declaration." in html
    assert "Public domain" in html
    [original] = page.find("a", href=UN_URL)
    assert "noopener" in (original["rel"] or "")
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find(landmark), landmark
    assert page.find("a", class_="skip-link", href="#main")
    assert page.find("a", href="#top")


def test_document_side_by_side_rows(client):
    html = client.get("/documents/udhr").text
    page = Page(html)
    rows = [a["id"] for a in page.find("div") if "row" in (a.get("class") or "").split()]
    assert rows == ["p1", "p2", "p3", "p4"]
    for number in range(1, 5):
        assert page.find("a", href=f"#p{number}")
    assert len(page.find("div", class_="side side--original", lang="zh-Hans")) == 4
    assert len(page.find("div", class_="side side--translation", lang="en")) == 4
    original, translation = bead_pairs(html)
    assert len(original) == 4
    for row_original, row_translation in zip(original, translation, strict=True):
        assert row_original and row_translation
        assert set(row_original) == set(row_translation)  # every sentence has its counterpart here
    spans = page.find("span", class_="s")
    assert spans and all(s.get("data-bead") for s in spans)
    # One sentence in the tab order (arrow keys move on from it), not one per sentence.
    assert [s.get("tabindex") for s in spans].count("0") == 1 and spans[0].get("tabindex") == "0"
    assert 'aria-current="page">Side by side' in html


def test_chinese_sentences_are_joined_without_spaces(client):
    html = client.get("/documents/udhr").text
    assert "一律平等。</span><span" in html
    assert "and rights.</span> <span" in html


@pytest.mark.parametrize(("view", "shown", "hidden"), [
    ("original", "side--original", "side--translation"),
    ("translation", "side--translation", "side--original"),
])
def test_document_single_language_views(client, view, shown, hidden):
    html = client.get(f"/documents/udhr?view={view}").text
    page = Page(html)
    assert [a["id"] for a in page.find("div") if "row" in (a.get("class") or "").split()] == [
        "p1", "p2", "p3", "p4"
    ]
    assert shown in html and hidden not in html
    assert f'href="/documents/udhr?view={view}" aria-current="page"' in html
    assert 'href="/documents/udhr?view=side"' in html


def test_unknown_view_falls_back_to_side_by_side(client):
    html = client.get("/documents/udhr?view=nonsense").text
    assert "side--original" in html and "side--translation" in html


def test_share_links(client):
    page = Page(client.get("/documents/udhr").text)
    [mail] = [a for a in page.find("a") if (a.get("href") or "").startswith("mailto:")]
    assert mail["href"] == (
        "mailto:?subject=Universal%20Declaration%20of%20Human%20Rights&body=Universal%20"
        "Declaration%20of%20Human%20Rights%0Ahttp%3A%2F%2Ftestserver%2Fdocuments%2Fudhr"
    )
    [button] = page.find("button", type="button")
    assert button["data-action"] == "print" and "hidden" in button
    assert page.find("a", href="http://testserver/documents/udhr")
    assert page.find("a", class_="permalink", href="#p2")[0]["data-url"] == "http://testserver/documents/udhr#p2"


def test_unknown_document_is_404_without_echo(client):
    response = client.get("/documents/no-such-thing-here")
    assert response.status_code == 404
    assert "Document not found" in response.text
    assert "no-such-thing-here" not in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_draft_is_404(client):
    assert client.get("/documents/secret-draft").status_code == 404
    assert client.get("/api/documents/secret-draft").status_code == 404
    assert "secret-draft" not in client.get("/api/documents?per_page=100").text


def test_unknown_path_is_404_page(client):
    response = client.get("/nowhere/<b>x</b>")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "<b>x</b>" not in response.text


# Escaping and headers


def test_hostile_metadata_is_escaped(client):
    for path in ("/", "/documents/hostile"):
        html = client.get(path).text
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "{{7*7}}" in html and ">49<" not in html
    html = client.get("/documents/hostile").text
    assert "&#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="http://example.org/a?b=1&amp;c=&lt;2&gt;"' in html


def test_no_inline_scripts_or_styles(client):
    for path in ("/", "/documents/udhr", "/documents/missing"):
        html = client.get(path).text
        scripts = re.findall(r"<script[^>]*>", html)
        assert re.fullmatch(r'<script src="/static/bitext\.\w{10}\.js" defer>', scripts[0])
        # and the glossary marks and the checked notice, each a file with its data attributes
        assert len(scripts) == 3 and all(re.fullmatch(
            r'<script src="/static/(glossary-marks|qa-notice)\.\w{10}\.js"'
            r'( data-(api|css)="/[^"<>]*")+ defer>', s) for s in scripts[1:])
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)  # no on* handlers


@pytest.mark.parametrize("path", ["/", "/documents/udhr", "/documents/nope", "/api/documents",
                                  "/api/documents/nope", "/static/bitext.css"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_server_error_is_generic(filled_library, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr("bitext.web.views.document.get_document", broken)
    monkeypatch.setattr("bitext.web.routes.api.get_document", broken)
    with TestClient(create_app(filled_library), raise_server_exceptions=False) as client:
        page = client.get("/documents/udhr?x=<i>")
        api = client.get("/api/documents/udhr")
    assert page.status_code == 500 and api.status_code == 500
    for response in (page, api):
        assert "secret internals" not in response.text
        assert "Traceback" not in response.text and "<i>" not in response.text
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "Something went wrong" in page.text
    assert api.json() == {"error": {"status": 500, "message": GENERIC_MESSAGES[500]}}


def test_static_files(client):
    css = client.get("/static/bitext.css")
    assert css.status_code == 200 and "@media print" in css.text
    assert '"Noto Serif CJK SC"' in css.text
    js = client.get("/static/bitext.js")
    assert js.status_code == 200 and "data-bead" in js.text


# The JSON API


def test_api_documents(client):
    body = client.get("/api/documents").json()
    assert body["total"] == 3 and body["page"] == 1 and body["pages"] == 1
    assert [d["slug"] for d in body["items"]] == ["hostile", "policy-2023", "udhr"]
    udhr = body["items"][2]
    assert udhr["url"] == "/documents/udhr"
    assert udhr["authors"] == [{"name": "联合国大会", "romanized": "Lianheguo Dahui"}]
    assert udhr["date"] == "1948-12-10" and udhr["tags"] == ["human rights", "law"]
    assert udhr["source"] == "联合国" and udhr["source_translation"] == "United Nations"


def test_api_documents_filters_and_pages(client):
    assert [d["slug"] for d in client.get("/api/documents?tag=policy").json()["items"]] == [
        "policy-2023"
    ]
    assert client.get("/api/documents?year=1948").json()["total"] == 1
    assert client.get("/api/documents?source=Example+Press").json()["total"] == 1
    page = client.get("/api/documents?per_page=2&page=2").json()
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (3, 2, 2, 2)
    assert [d["slug"] for d in page["items"]] == ["udhr"]


@pytest.mark.parametrize("query", ["?page=0", "?year=abc", "?per_page=100000"])
def test_api_rejects_bad_parameters_without_echo(client, query):
    response = client.get("/api/documents" + query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422 and error["message"].startswith("Invalid value for")
    assert "abc" not in response.text and "100000" not in response.text


def test_api_document(client):
    body = client.get("/api/documents/udhr").json()
    assert body["title_original"] == "世界人权宣言"
    assert body["language_original"] == "zh-Hans" and body["language_translation"] == "en"
    assert body["alignment_method"]
    assert len(body["original"]) == 4 and len(body["translation"]) == 4
    paragraph_ids = {p["id"] for p in body["original"] + body["translation"]}
    sentence_ids = {
        s["id"] for p in body["original"] + body["translation"] for s in p["sentences"]
    }
    assert len(body["paragraph_beads"]) == 4
    for bead in body["paragraph_beads"]:
        assert set(bead["source"] + bead["target"]) <= paragraph_ids
        assert isinstance(bead["score"], float) and bead["confirmed"] is False
    beads = body["sentence_beads"]
    assert {i for b in beads for i in b["source"] + b["target"]} == sentence_ids
    first = body["original"][0]["sentences"][0]
    assert first["text"].startswith("第一条") and first["bead"] == 0
    assert first["id"] in beads[0]["source"]


def test_api_unknown_document(client):
    response = client.get("/api/documents/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "Document not found"}}


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/documents", "/api/documents/{slug}", "/api/search", "/api/concordance",
            "/api/documents/{slug}/export"} <= set(schema["paths"])
    assert not any(path.startswith("/editor") for path in schema["paths"])
    assert {"DocumentListOut", "DocumentOut", "SentenceOut", "BeadOut"} <= set(
        schema["components"]["schemas"]
    )
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    policy = docs.headers["content-security-policy"]
    assert "'sha256-" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_low_confidence_rows_are_marked(client, monkeypatch):
    # The threshold is changed under a running app: its cached pages are set aside each time.
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", 1.01)
    client.app.state.page_cache.clear()
    html = client.get("/documents/udhr").text
    assert html.count('class="row row--uncertain"') == 4
    assert html.count("Alignment uncertain") == 4
    monkeypatch.setattr("bitext.core.align.confidence.UNCERTAIN_BELOW", -1.0)
    client.app.state.page_cache.clear()
    assert "row--uncertain" not in client.get("/documents/udhr").text
