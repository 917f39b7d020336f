"""Trust boundaries of the web: the Host header and proxy headers are the client's words,
so neither may put a foreign name into links nor choose the address rate limits count."""

import httpx2 as httpx
import pytest
from sqlalchemy import select

from bitext.services.library import add_document, open_library
from bitext.store.schema import Report
from tests.browser.conftest import served
from tests.test_web_editorial import EN, META, ZH, csrf_of, make_client, paragraph_id

PUBLIC = "https://lib.example/library"
# Every response that prints absolute links, and a link each must hold.
LINKS = {
    "/sitemap.xml": "/documents/doc",
    "/feed.atom": "/documents/doc",
    "/robots.txt": "/sitemap.xml",
    "/documents/doc": "/documents/doc",  # canonical link, og:url, citation tags
    "/documents/doc/cite?format=text": "/documents/doc",
    "/documents/doc/cite.bib": "/documents/doc",
    "/concordance.csv?q=Article": "/documents/doc",
}


@pytest.fixture
def doc(library):
    add_document(library, META, ZH, EN)
    return library


@pytest.mark.parametrize("path", LINKS)
def test_a_foreign_host_header_is_refused(doc, tmp_path, path):
    with make_client(doc, tmp_path) as client:
        response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.text


def test_absolute_links_come_from_public_base_url(doc, tmp_path):
    with make_client(doc, tmp_path, public_base_url=PUBLIC + "/") as client:
        for path, link in LINKS.items():
            body = client.get(path).text
            assert PUBLIC + link in body, path
            assert "testserver" not in body, path
        assert client.get("/", headers={"Host": "lib.example"}).status_code == 200


def test_without_public_base_url_links_use_the_allowed_host_reached(doc, tmp_path):
    with make_client(doc, tmp_path, allowed_hosts=["lib.example"]) as client:
        body = client.get("/sitemap.xml", headers={"Host": "lib.example:8443"}).text
    assert "http://lib.example:8443/documents/doc" in body


def test_default_hosts_are_the_loopback_names(doc, tmp_path, monkeypatch):
    monkeypatch.delenv("BITEXT_ALLOWED_HOSTS")
    with make_client(doc, tmp_path) as client:
        for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
            assert client.get("/", headers={"Host": host}).status_code == 200, host
        assert client.get("/").status_code == 400  # the test client's "testserver"


@pytest.mark.parametrize(("proxies", "expected"), [
    (None, [303, 303, 429]),  # the default: X-Forwarded-For is ignored, even from loopback
    ("127.0.0.1", [303, 303, 303]),  # a configured proxy is believed
])
def test_forwarded_for_counts_only_from_configured_proxies(tmp_path, proxies, expected):
    db_path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, META, ZH, EN)
        target = paragraph_id(database, 0)
    finally:
        database.dispose()
    env = {"BITEXT_REPORTS_PER_ADDRESS_PER_HOUR": "2"}
    if proxies:
        env["BITEXT_FORWARDED_ALLOW_IPS"] = proxies
    forged = [f"203.0.113.{i}" for i in range(1, 4)]
    with served(db_path, tmp_path, **env) as url, httpx.Client(base_url=url) as client:
        statuses = []
        for address in forged:
            token = csrf_of(client.get("/documents/doc/report?row=1").text)
            statuses.append(client.post(
                "/documents/doc/reports", headers={"X-Forwarded-For": address},
                data={"paragraph": f"translation:{target}", "suggestion": "typo",
                      "csrf": token}).status_code)
    database = open_library(f"sqlite:///{db_path}")
    try:
        with database.reader() as session:
            addresses = session.scalars(select(Report.client_address).order_by(Report.id)).all()
    finally:
        database.dispose()
    assert statuses == expected
    assert addresses == (forged if proxies else ["127.0.0.1"] * 2)

