"""Sharing and machines: meta tags for reference managers, the Cite section and page, the
Atom feed, the sitemap and robots.txt; hostile titles stay escaped in each."""

import re
from html import unescape

import bibtexparser
import defusedxml.ElementTree as SafeET
import pytest
import rispy
from fastapi.testclient import TestClient
from pages import Page

from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.demo import DEMO_DIR
from bitext.services.export import cite
from bitext.services.library import add_document, add_document_files
from bitext.services.reading import get_document
from bitext.settings import Settings
from bitext.web.app import create_app

SLUG = "prc-constitution-2018"
TITLE = "Constitution of the People's Republic of China [中华人民共和国宪法]"
BASE = "https://lib.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE_TITLE = "<script>alert(1)</script> & Sons"
ZH = "第一条 人人生而自由。\n\n第二条 人人平等。"
EN = "Article 1. All are born free.\n\nArticle 2. All are equal."


def metadata(slug: str, **fields) -> dict:
    return {"slug": slug, "title_original": f"标题 {slug}",
            "title_translation": f"Title {slug}", "language_original": "zh-Hans",
            "language_translation": "en", "status": "published", **fields}


@pytest.fixture
def shared(library):
    """The demo constitution, a plain document corrected later, a hostile title, a draft
    and a withdrawn document, added in that order."""
    folder = DEMO_DIR / SLUG
    add_document_files(library, folder / "original.txt", folder / "translation.txt",
                       folder / "meta.json")
    add_document(library, metadata("plain", date="2020-01-02"), ZH, EN)
    add_document(library, metadata("hostile", title_translation=HOSTILE_TITLE,
                                   title_original="<b>&amp;</b>",
                                   summary="<img src=x onerror=alert(1)> & more"), ZH, EN)
    add_document(library, metadata("secret-draft", status="draft"), ZH, EN)
    add_document(library, metadata("gone"), ZH, EN)
    editor = add_user(library, "editor1", "correct horse battery", "editor")
    editing.change_status(library, editor, "gone", "withdrawn")
    paragraph = get_document(library, "plain").rows[1].translation[0]
    editing.edit_paragraph(library, editor, "plain", "translation", paragraph.id, 1,
                           "Article 2. All are equal before the law.",
                           "Article 2 <now> says “before the law”")
    return library


@pytest.fixture
def client(shared):
    app = create_app(shared, settings=Settings(public_base_url=BASE))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


# ---- the document page's head --------------------------------------------------------

def test_reference_manager_tags_read_back(client):
    page = Page(client.get(f"/documents/{SLUG}").text)
    url = f"{BASE}/documents/{SLUG}"
    assert page.meta("name", "citation_title") == [TITLE]
    assert page.meta("name", "citation_author") == ["National People's Congress (全国人民代表大会)"]
    assert page.meta("name", "DC.creator") == ["National People's Congress (全国人民代表大会)"]
    # The issued date is the version translated (2018), not the original's (1982).
    assert page.meta("name", "citation_publication_date") == ["2018/03/11"]
    assert page.meta("name", "DC.date") == ["2018-03-11"]
    assert page.meta("property", "article:published_time") == ["2018-03-11"]
    assert page.meta("name", "citation_public_url") == [url]
    assert page.meta("name", "DC.identifier") == [url]
    assert page.meta("name", "citation_language") == ["en"]
    assert page.meta("property", "og:title") == [TITLE]
    assert page.meta("property", "og:type") == ["article"]
    assert page.meta("property", "og:url") == [url]
    assert page.meta("property", "og:locale") == ["en_US"]  # language_TERRITORY
    assert page.meta("property", "og:locale:alternate") == ["zh_CN"]
    assert page.meta("property", "og:site_name") == ["bitext"]
    assert page.meta("property", "og:description")[0]
    assert [a["href"] for a in page.find("link", rel="canonical")] == [url]
    feeds = page.find("link", rel="alternate", type="application/atom+xml")
    assert [a["href"] for a in feeds] == ["/feed.atom"]


def test_drafts_carry_no_citation_tags(client):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    login = client.post("/login", data={"name": "editor1", "password": "correct horse battery",
                                        "csrf": unescape(token)}, follow_redirects=False)
    assert login.status_code == 303
    html = client.get("/documents/secret-draft").text
    assert 'name="citation_title"' not in html and 'rel="canonical"' not in html
    assert 'id="cite"' not in html


# ---- cite this document, cite this paragraph ------------------------------------------

def test_cite_section_shows_every_style_and_works_without_js(client):
    html = client.get(f"/documents/{SLUG}").text
    page = Page(html)
    assert len(page.find("details", id="cite")) == 1
    for style in ("chicago", "apa", "mla"):
        assert page.find("figure", id=f"cite-{style}")
        assert cite(client.app.state.database, SLUG, style, html=True, base_url=BASE) in html
    chicago = cite(client.app.state.database, SLUG, "chicago", base_url=BASE)
    # The script adds a copy button to each; without it the text is there to select.
    [figure] = page.find("figure", **{"data_copy_text": chicago})
    assert figure["id"] == "cite-chicago"
    hrefs = {a["href"] for a in page.find("a") if a.get("href")}
    assert f"/documents/{SLUG}/cite?paragraph=1" in hrefs
    assert f"/documents/{SLUG}/cite?paragraph=3" in hrefs
    for name in ("tmx", "xliff", "jsonl", "csv", "docx"):
        path = f"/api/documents/{SLUG}/export?format={name}"
        assert path in hrefs
        assert client.get(path).status_code == 200


def test_citation_downloads_parse(client):
    page = Page(client.get(f"/documents/{SLUG}").text)
    hrefs = [a["href"] for a in page.find("a") if a.get("href", "").startswith(
        f"/documents/{SLUG}/cite.")]
    assert hrefs == [f"/documents/{SLUG}/cite.{ext}" for ext in ("bib", "ris", "json")]
    bib = client.get(hrefs[0])
    [entry] = bibtexparser.parse_string(bib.text).entries
    assert entry.key == SLUG and "中华人民共和国宪法" in entry["title"]
    [ris] = rispy.loads(client.get(hrefs[1]).text)
    assert ris["title"] == TITLE
    assert client.get(hrefs[2]).json()[0]["URL"] == f"{BASE}/documents/{SLUG}"


def test_cite_page_is_a_page_of_the_site(client):
    response = client.get(f"/documents/{SLUG}/cite", params={"paragraph": 3, "style": "apa"})
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    page = Page(response.text)
    assert page.find("link", rel="stylesheet") and page.find("script")
    figures = [a["id"] for a in page.find("figure")]
    assert figures == ["cite-apa", "cite-chicago", "cite-mla"]  # the chosen style first
    assert "para. 3" in response.text and f"{BASE}/documents/{SLUG}#p3" in response.text
    hrefs = {a["href"] for a in page.find("a")}
    assert f"/documents/{SLUG}/cite.ris?paragraph=3" in hrefs
    [ris] = rispy.loads(client.get(f"/documents/{SLUG}/cite.ris?paragraph=3").text)
    assert any(url.endswith("#p3") for url in ris["urls"])
    text = client.get(f"/documents/{SLUG}/cite", params={"format": "text"})
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text == cite(client.app.state.database, SLUG, base_url=BASE)
    assert client.get(f"/documents/{SLUG}/cite", params={"paragraph": 10_000}).status_code == 404
    assert client.get(f"/documents/{SLUG}/cite", params={"style": "x"}).status_code == 422
    assert client.get("/documents/secret-draft/cite").status_code == 404


# ---- the Atom feed ----------------------------------------------------------------------

def test_feed_lists_published_documents_newest_first(client):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = SafeET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    # "plain" was corrected after the others were added: it comes first.
    assert ids == [f"{BASE}/documents/{slug}" for slug in ("plain", "hostile", SLUG)]
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    [self_link] = [x for x in feed.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_link.get("href") == f"{BASE}/feed.atom"
    constitution = entries[2]
    assert constitution.findtext(f"{ATOM}title") == TITLE
    assert constitution.find(f"{ATOM}link").get("href") == f"{BASE}/documents/{SLUG}"
    assert constitution.findtext(f"{ATOM}summary")
    assert constitution.find(f"{ATOM}content") is None  # never corrected
    text = response.text
    assert "secret-draft" not in text and "gone" not in text


def test_feed_names_the_corrections(client):
    feed = SafeET.fromstring(client.get("/feed.atom").content)
    plain = feed.find(f"{ATOM}entry")
    assert plain.findtext(f"{ATOM}updated") >= plain.findtext(f"{ATOM}published")
    content = plain.findtext(f"{ATOM}content")
    assert content.startswith("Corrected on ")
    assert "Article 2 <now> says “before the law”" in content


# ---- sitemap and robots.txt -------------------------------------------------------------

def test_sitemap_lists_exactly_the_published_documents(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and "xml" in response.headers["content-type"]
    urlset = SafeET.fromstring(response.content)
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
            for u in urlset.findall(f"{SITEMAP}url")}
    assert set(urls) == {f"{BASE}/"} | {f"{BASE}/documents/{s}"
                                        for s in ("plain", "hostile", SLUG)}
    assert all(len(lastmod) == 10 for lastmod in urls.values())


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml" in response.text.splitlines()


# ---- hostile titles -----------------------------------------------------------------------

def test_hostile_title_stays_escaped_everywhere(client):
    for path in ("/documents/hostile", "/documents/hostile/cite", "/"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in html
    page = Page(client.get("/documents/hostile").text)
    assert page.meta("name", "citation_title") == [f"{HOSTILE_TITLE} [<b>&amp;</b>]"]
    assert page.meta("property", "og:description") == ["<img src=x onerror=alert(1)> & more"]

    raw = client.get("/feed.atom")
    assert b"<script>" not in raw.content and b"<b>" not in raw.content
    titles = [e.findtext(f"{ATOM}title") for e in SafeET.fromstring(raw.content)
              .findall(f"{ATOM}entry")]
    assert f"{HOSTILE_TITLE} [<b>&amp;</b>]" in titles
    sitemap = client.get("/sitemap.xml").content
    assert b"<script>" not in sitemap
    SafeET.fromstring(sitemap)


def test_the_library_name_setting_names_the_library_in_citations(library):
    from fastapi.testclient import TestClient

    from bitext.services.library import add_document
    from bitext.settings import Settings
    from bitext.web.app import create_app

    add_document(library, {"slug": "named", "title_original": "宣言", "title_translation":
                           "Declaration", "language_original": "zh-Hans",
                           "language_translation": "en", "status": "published"},
                 "人人生而自由。", "All are born free.")
    app = create_app(library, settings=Settings(library_name="Example Translation Library"))
    with TestClient(app) as client:
        page = client.get("/documents/named").text
        assert '<meta property="og:site_name" content="Example Translation Library">' in page
        assert "Example Translation Library" in client.get(
            "/documents/named/cite", params={"format": "text"}).text
        assert "Example Translation Library" in client.get("/documents/named/cite.bib").text
