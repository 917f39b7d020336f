"""HTTP for readers and caches: HEAD on every page, gzip, ETags and 304s, long-cached static
files under fingerprinted names, and the page weight of the longest document."""

import gzip
import re

import pytest
from fastapi.testclient import TestClient
from samples import UDHR_EN, UDHR_METADATA, UDHR_ZH

from bitext.services.demo import DEMO_DIR
from bitext.services.file_import import add_from_files, prepare_import
from bitext.services.library import add_document
from bitext.web.app import create_app
from bitext.web.views.outline import heading_of

PAGES = ["/", "/documents/udhr", "/documents/udhr?view=original", "/documents/udhr/cite",
         "/documents/udhr/history", "/documents/udhr/report?row=1", "/search?q=rights",
         "/concordance?q=rights", "/login", "/docs", "/api/documents", "/feed.atom"]
PAGE_WEIGHT_LIMIT = 250_000  # bytes, gzip-compressed


@pytest.fixture
def client(library):
    add_document(library, UDHR_METADATA, UDHR_ZH, UDHR_EN)
    with TestClient(create_app(library)) as client:
        yield client


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_head_like_get(client, path):
    got, head = client.get(path), client.head(path)
    assert got.status_code == 200 and head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_text_is_gzipped_when_asked_for(client):
    response = client.get("/documents/udhr", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    raw = client.get("/documents/udhr", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert response.text == raw.text  # the client undid the gzip: the same page


def test_document_pages_answer_304_when_unchanged(client):
    first = client.get("/documents/udhr")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"')
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT", modified)
    again = client.get("/documents/udhr", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/documents/udhr", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.text == first.text
    # Another view is another page: its own ETag.
    assert client.get("/documents/udhr?view=original").headers["etag"] != etag
    # If-Modified-Since alone, from a client without cookies (a crawler).
    client.cookies.clear()
    assert client.get("/documents/udhr", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/documents/udhr", headers={
        "If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"}).status_code == 200


def test_static_files_have_fingerprinted_names_cached_for_a_year(client):
    html = client.get("/").text
    [css] = re.findall(r'href="(/static/bitext\.\w{10}\.css)"', html)
    response = client.get(css)
    assert response.status_code == 200 and "@media print" in response.text
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    plain = client.get("/static/bitext.css")
    assert plain.text == response.text and plain.headers["cache-control"] == "no-cache"
    assert client.get("/static/bitext.0123456789.css").status_code == 404  # a stale name


def test_longest_document_page_weighs_under_the_limit(library):
    folder = DEMO_DIR / "prc-constitution-2018"
    add_from_files(library, prepare_import(
        folder / "original.txt", folder / "translation.txt", folder / "meta.json"))
    with TestClient(create_app(library)) as client:
        page = client.get("/documents/prc-constitution-2018",
                          headers={"Accept-Encoding": "identity"})
    compressed = len(gzip.compress(page.content, compresslevel=9))
    assert page.text.count("<form") <= 2  # no form per paragraph
    assert compressed <= PAGE_WEIGHT_LIMIT, f"{compressed} bytes gzip-compressed"


@pytest.mark.parametrize(("text", "expected"), [
    ("第一章　总纲", (2, 1)), ("第十二条 公民", (4, 12)), ("第一百四十三条　", (4, 143)),
    ("第二节 行政機關", (3, 2)), ("第三編", (1, 3)), ("Chapter III State Institutions", (2, 3)),
    ("Article 62 The National", (4, 62)), ("SECTION 4", (3, 4)), ("Articles of faith", None),
    ("In Article 5 we read", None), ("第一次会议", None), ("第二款 前款", None),
])
def test_headings_are_read_from_legal_numbering(text, expected):
    assert heading_of(text) == expected
