"""The date of the version translated (metadata ``version_date``), beside the original's
``date``: accepted, stored, shown, sorted by, and refused when it cannot be."""

import json

import pytest
from test_web_editorial import doc, editor, make_client, post  # noqa: F401  (fixtures)

from bitext.core.metadata import METADATA_FIELDS, metadata_dict, parse_metadata
from bitext.errors import InputError
from bitext.services.demo import DEMO_DIR
from bitext.services.library import add_document, add_document_files
from bitext.services.reading import (
    EVERY_STATUS,
    DocumentFilters,
    facet_values,
    get_document,
    list_documents,
)

BASE = {"title_original": "宪法", "title_translation": "Constitution",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}


def test_metadata_takes_the_version_date_beside_the_original_date():
    meta = parse_metadata({**BASE, "slug": "c", "date": "1982-12-04",
                           "version_date": "2018-03-11"})
    assert (meta.date.year, meta.version_date.isoformat()) == (1982, "2018-03-11")
    assert "version_date" in METADATA_FIELDS  # so `bitext schema` and exports carry it
    with pytest.raises(InputError, match=r"^metadata: field 'version_date': .*older"):
        parse_metadata({**BASE, "slug": "c", "date": "2018-03-11", "version_date": "1982-12-04"})
    with pytest.raises(InputError, match="version_date"):
        parse_metadata({**BASE, "slug": "c", "version_date": "March 2018"})


def test_demo_constitution_is_the_2018_version_of_the_1982_text():
    meta = parse_metadata(json.loads((DEMO_DIR / "prc-constitution-2018" / "meta.json")
                                     .read_text(encoding="utf-8")))
    assert (meta.date.isoformat(), meta.version_date.isoformat()) == ("1982-12-04",
                                                                      "2018-03-11")


def test_a_meta_file_with_a_version_date_is_stored_and_exported(library, tmp_path):
    (tmp_path / "zh.txt").write_text("第一条 中华人民共和国是社会主义国家。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Article 1 The PRC is a socialist state.\n",
                                     encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(
        {**BASE, "slug": "c", "date": "1982-12-04", "version_date": "2018-03-11"}),
        encoding="utf-8")
    add_document_files(library, tmp_path / "zh.txt", tmp_path / "en.txt",
                       tmp_path / "meta.json")
    meta = get_document(library, "c").meta
    assert meta.version_date.isoformat() == "2018-03-11" and meta.cited_date == meta.version_date
    assert metadata_dict(meta)["version_date"] == "2018-03-11"


def test_a_refused_version_date_writes_nothing(library, tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps(
        {**BASE, "slug": "c", "date": "2018-03-11", "version_date": "1982-12-04"}),
        encoding="utf-8")
    (tmp_path / "zh.txt").write_text("第一条。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Article 1.\n", encoding="utf-8")
    with pytest.raises(InputError, match="version_date"):
        add_document_files(library, tmp_path / "zh.txt", tmp_path / "en.txt",
                           tmp_path / "meta.json")
    assert list_documents(library, DocumentFilters(), statuses=EVERY_STATUS).total == 0


def _three_documents(database):
    add_document(database, {**BASE, "slug": "amended", "date": "1982-12-04",
                            "version_date": "2018-03-11"}, "第一条。", "Article 1.")
    add_document(database, {**BASE, "slug": "of-2004", "date": "2004-03-14"},
                 "第二条。", "Article 2.")
    add_document(database, {**BASE, "slug": "of-1990", "date": "1990-04-04"},
                 "第三条。", "Article 3.")


@pytest.fixture
def database(any_library):
    """conftest's library on SQLite, then on PostgreSQL."""
    return any_library


def test_the_library_sorts_and_files_by_the_version_date(database):
    _three_documents(database)
    listed = list_documents(database, DocumentFilters())
    assert [d.slug for d in listed.items] == ["amended", "of-2004", "of-1990"]
    assert facet_values(database).years == [2018, 2004, 1990]
    assert [d.slug for d in list_documents(database, DocumentFilters(year=2018)).items] == [
        "amended"]
    assert list_documents(database, DocumentFilters(year=1982)).total == 0


def test_pages_show_both_dates(library, tmp_path):
    _three_documents(library)
    with make_client(library, tmp_path) as client:
        listing = client.get("/").text
        assert '<time datetime="2018-03-11">' in listing and "version · original 1982" in listing
        assert listing.index("amended") < listing.index("of-2004")
        page = client.get("/documents/amended").text
        api = client.get("/api/documents/amended").json()
    assert (api["date"], api["version_date"]) == ("1982-12-04", "2018-03-11")
    assert "<dt>Original</dt>" in page and '<time datetime="1982-12-04">' in page
    assert "<dt>Version translated</dt>" in page and '<time datetime="2018-03-11">' in page


def test_a_single_date_stays_one_date(library, tmp_path):
    _three_documents(library)
    with make_client(library, tmp_path) as client:
        page = client.get("/documents/of-2004").text
    assert "<dt>Date</dt>" in page and "Version translated" not in page


def test_editors_set_the_version_date_in_the_metadata_form(doc, editor):  # noqa: F811
    form = editor.get("/documents/doc/metadata").text
    assert 'name="version_date"' in form and "Date of the version translated" in form
    fields = {"title_original": "宣言", "title_translation": "Declaration", "base": "0",
              "note": "Dated", "tags": "", "authors": ""}
    refused = post(editor, "/documents/doc/metadata", "/documents/doc/metadata",
                   {**fields, "date": "2018-03-11", "version_date": "1982-12-04"})
    assert refused.status_code == 400 and "older than the original" in refused.text
    assert get_document(doc, "doc").meta.version_date is None  # nothing written
    saved = post(editor, "/documents/doc/metadata", "/documents/doc/metadata",
                 {**fields, "date": "1982-12-04", "version_date": "2018-03-11"})
    assert saved.status_code == 303
    meta = get_document(doc, "doc").meta
    assert (meta.date.isoformat(), meta.version_date.isoformat()) == ("1982-12-04",
                                                                      "2018-03-11")
