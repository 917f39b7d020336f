"""Citations of a demo document: Chicago in the translation-library form, APA, MLA,
BibTeX and RIS that real parsers read, meta tags, and the web endpoints."""

import datetime as dt
import json
import warnings
from types import SimpleNamespace

import bibtexparser
import pytest
import rispy
from starlette.exceptions import StarletteDeprecationWarning

from bitext.core.cite import citation_record, render_citation
from bitext.core.cite.render import render_bibtex
from bitext.core.text.romanize import romanize_name
from bitext.errors import InputError, NotFound
from bitext.services.demo import DEMO_DIR
from bitext.services.export import citation_file, citation_meta_tags, cite
from bitext.services.library import add_document_files
from bitext.services.reading import get_document
from bitext.web.app import create_app

with warnings.catch_warnings():
    # Starlette asks for ``httpx2``; with plain ``httpx`` it warns once at import.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

SLUG = "prc-constitution-2018"
TITLE = "Constitution of the People's Republic of China [中华人民共和国宪法]"


@pytest.fixture
def demo(library):
    folder = DEMO_DIR / SLUG
    add_document_files(library, folder / "original.txt", folder / "translation.txt",
                       folder / "meta.json")
    return library


def test_chicago_has_the_translation_library_form(demo):
    # The demo's Constitution is the 2018 text of the 1982 one: cited as of 2018, with the
    # original's year beside its source.
    text = cite(demo, SLUG, "chicago", base_url="https://lib.example")
    assert text == (
        f"National People's Congress (全国人民代表大会), “{TITLE},” trans. National People's "
        "Congress (official translation), Bitext, original work "
        "published in Announcement of the National People's Congress [全国人民代表大会公告], "
        "1982, March 11, 2018, https://lib.example/documents/prc-constitution-2018."
    )


def test_apa_and_mla(demo):
    apa = cite(demo, SLUG, "apa")
    mla = cite(demo, SLUG, "mla")
    assert apa.startswith(f"National People's Congress (全国人民代表大会). (2018, March 11). "
                          f"{TITLE} (National People's Congress (official translation), trans.).")
    # "Original work published" takes the original's year, never the publisher's name.
    assert apa.endswith("(Original work published 1982)")
    assert "Announcement" not in apa and "Announcement" not in mla
    assert mla.startswith(f"National People's Congress (全国人民代表大会). “{TITLE}.” 1982. "
                          "Bitext, translated by National People's Congress "
                          "(official translation), 11 Mar. 2018")


def test_paragraph_citation_carries_the_permalink(demo):
    text = cite(demo, SLUG, "chicago", paragraph=3, base_url="https://lib.example")
    assert "para. 3" in text and text.endswith("/documents/prc-constitution-2018#p3.")
    with pytest.raises(NotFound):
        cite(demo, SLUG, paragraph=10_000)


def test_unknown_style_is_a_user_error(demo):
    with pytest.raises(InputError, match="chicago"):
        cite(demo, SLUG, "harvard")


def test_bibtex_and_ris_parse(demo):
    bib = citation_file(demo, SLUG, "bib").content.decode()
    [entry] = bibtexparser.parse_string(bib).entries
    assert entry.key == SLUG and entry["year"] == "2018" and entry["origdate"] == "1982"
    assert "中华人民共和国宪法" in entry["title"]
    [ris] = rispy.loads(citation_file(demo, SLUG, "ris").content.decode())
    assert ris["type_of_reference"] == "ELEC" and ris["title"] == TITLE
    assert ris["authors"] == ["National People's Congress (全国人民代表大会)"]
    [csl] = json.loads(citation_file(demo, SLUG, "json", paragraph=2).content)
    assert csl["URL"].endswith("#p2") and csl["title"] == TITLE


def test_pinyin_when_no_romanization_is_stored():
    assert romanize_name("马兴瑞") == "Ma Xingrui"
    assert romanize_name("欧阳修") == "Ouyang Xiu"
    assert romanize_name("单田芳") == "Shan Tianfang"
    meta = SimpleNamespace(
        slug="s", title_original="文章", title_translation="Article", language_original="zh",
        language_translation="en", authors=[SimpleNamespace(name="马兴瑞", romanized=None)],
        source="求是", source_translation="Qiushi", date=dt.date(2021, 1, 1), version_date=None,
        translator=None,
        publisher=None, summary=None, tags=[], created_at=dt.datetime(2024, 1, 1),
    )
    text = render_citation(citation_record(meta, library_name="Interpret"), "chicago")
    assert text.startswith("Ma Xingrui (马兴瑞), “Article [文章],” Interpret, original work "
                           "published in Qiushi [求是], January 1, 2021")


def test_a_later_version_cites_by_its_own_date_with_the_original_year():
    meta = SimpleNamespace(
        slug="s", title_original="宪法", title_translation="Constitution", language_original="zh",
        language_translation="en", authors=[], source=None, source_translation=None,
        date=dt.date(1982, 12, 4), version_date=dt.date(2018, 3, 11), translator=None,
        publisher=None, summary=None, tags=[], created_at=dt.datetime(2024, 1, 1),
    )
    record = citation_record(meta)
    assert record["issued"] == {"date-parts": [[2018, 3, 11]]}
    assert record["original-date"] == {"date-parts": [[1982]]}
    assert "(2018, March 11)" in render_citation(record, "apa")
    assert render_citation(record, "apa").endswith("(Original work published 1982)")
    chicago = render_citation(record, "chicago")
    assert "original work published in 1982, March 11, 2018" in chicago
    bibtex = render_bibtex(record)
    assert "year = {2018}" in bibtex and "origdate = {1982}" in bibtex
    meta.version_date = None  # the original itself: one date, no "originally"
    assert "origdate" not in render_bibtex(citation_record(meta))
    assert "1982, December 4, 1982" not in render_citation(citation_record(meta), "chicago")


def test_html_citation_escapes_the_data():
    meta = SimpleNamespace(
        slug="s", title_original="<b>", title_translation="A & <script>", language_original="zh",
        language_translation="en", authors=[], source=None, source_translation=None, date=None,
        version_date=None, translator=None, publisher=None, summary=None, tags=[],
        created_at=dt.datetime(2024, 1, 1),
    )
    html = render_citation(citation_record(meta), "mla", html=True)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_citation_meta_tags(demo):
    tags = citation_meta_tags(get_document(demo, SLUG), base_url="https://lib.example")
    names = dict(tags)
    assert names["citation_title"] == TITLE
    assert names["citation_publication_date"] == "2018/03/11"  # the version translated
    assert names["DC.identifier"] == "https://lib.example/documents/prc-constitution-2018"
    assert ("citation_author", "National People's Congress (全国人民代表大会)") in tags


@pytest.fixture
def client(demo):
    with TestClient(create_app(demo)) as test_client:
        yield test_client


def test_cite_endpoints(client):
    page = client.get(f"/documents/{SLUG}/cite", params={"style": "apa"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<i>" in page.text
    text = client.get(f"/documents/{SLUG}/cite", params={"format": "text", "paragraph": 2})
    assert text.headers["content-type"].startswith("text/plain") and "#p2" in text.text
    for ext, kind in [("bib", "x-bibtex"), ("ris", "x-research-info-systems"),
                      ("json", "csl+json")]:
        response = client.get(f"/documents/{SLUG}/cite.{ext}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert f'filename="{SLUG}.{ext}"' in response.headers["content-disposition"]
    assert client.get(f"/documents/{SLUG}/cite", params={"style": "x"}).status_code == 422
    assert client.get("/documents/nope/cite.bib").status_code == 404


def test_export_endpoint(client):
    response = client.get(f"/api/documents/{SLUG}/export", params={"format": "tmx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-tmx+xml")
    assert f'filename="{SLUG}.tmx"' in response.headers["content-disposition"]
    assert response.content.startswith(b"<?xml")
