"""Every way a document comes in files it under a work: one named for it, else a work of
its own, as migration 0010 filed the documents it found (slug, one version labelled by the
version date, else the date, else "1"), in the document's transaction. A document whose
slug is an existing work's is refused with one line, nothing written."""

import datetime as dt
import json

import pytest
from dask.distributed import LocalCluster
from sqlalchemy import select

from bitext.errors import InputError
from bitext.formats.model import AlignedBead, AlignedDocument
from bitext.formats.tmx import write_tmx
from bitext.services.accounts import add_user
from bitext.services.batch_add import add_batch
from bitext.services.file_import import Upload
from bitext.services.import_jobs import preview_upload, run_job
from bitext.services.importing import import_bytes
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, DocumentFilters, list_documents
from bitext.services.works import VersionPlace, file_version
from bitext.store import import_jobs, works
from bitext.store.schema import Work

ZH = "第一条。人人生而自由。\n\n第二条。人人平等。"
EN = "Article 1. All are born free.\n\nArticle 2. All are equal."
META = {"title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}


def place_of(database, slug: str) -> tuple[str, str, str, str] | None:
    with database.reader() as session:
        return works.work_place(session, slug)


def slugs(database) -> list[str]:
    page = list_documents(database, DocumentFilters(), per_page=50, statuses=EVERY_STATUS)
    return sorted(d.slug for d in page.items)


def work_slugs(database) -> list[str]:
    with database.reader() as session:
        return sorted(session.scalars(select(Work.slug)))


@pytest.mark.parametrize(("dates", "label"), [
    ({"date": "1948-12-10", "version_date": "2018-03-11"}, "2018-03-11"),
    ({"date": "1948-12-10"}, "1948-12-10"),
    ({}, "1"),
])
def test_a_document_added_alone_is_a_work_of_its_own(any_library, dates, label):
    add_document(any_library, {**META, "slug": "declaration", **dates}, ZH, EN)
    assert place_of(any_library, "declaration") == ("declaration", "宣言", "zh-Hans", label)


def test_an_imported_file_files_each_document_alone(any_library):
    document = AlignedDocument({}, "zh-Hans", "en", [AlignedBead(("人人生而自由。",),
                                                                 ("All are born free.",))])
    import_bytes(any_library, write_tmx([document]), "tmx",
                 {**META, "slug": "from-tmx", "date": "1948-12-10"})
    assert place_of(any_library, "from-tmx") == ("from-tmx", "宣言", "zh-Hans", "1948-12-10")


def test_a_web_import_job_files_its_document_alone(library):
    editor = add_user(library, "editor1", "correct horse battery", "editor")
    job = preview_upload(library, editor, Upload("zh.txt", ZH.encode()),
                         Upload("en.txt", EN.encode()), {**META, "slug": "uploaded"})
    with library.reader() as session:
        prepared_json = import_jobs.job_by_id(session, job).prepared
    run_job(library, job, prepared_json, heartbeat_s=60)
    assert place_of(library, "uploaded") == ("uploaded", "宣言", "zh-Hans", "1")


def test_a_batch_files_each_document_alone(library, tmp_path):
    for slug in ("first", "second"):
        folder = tmp_path / "docs" / slug
        folder.mkdir(parents=True)
        (folder / "original.txt").write_text(ZH, encoding="utf-8")
        (folder / "translation.txt").write_text(EN, encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps({**META, "slug": slug}), encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:
        report = add_batch(library, tmp_path / "docs", scheduler=cluster.scheduler_address)
    assert report.aligned == 2
    assert [place_of(library, s) for s in ("first", "second")] == [
        (s, "宣言", "zh-Hans", "1") for s in ("first", "second")]


def test_a_slug_taken_by_a_work_is_refused_and_nothing_is_written(any_library):
    file_version(any_library, VersionPlace("taken", "draft", dt.date(1948, 6, 1)), "宣言",
                 "zh-Hans", text="第一条。人人生而自由。")
    expected = ("a work with slug 'taken' already exists: give the document another slug, "
                "or file it under that work")
    with pytest.raises(InputError) as raised:
        add_document(any_library, {**META, "slug": "taken"}, ZH, EN)
    assert raised.value.message == expected
    document = AlignedDocument({}, "zh-Hans", "en", [AlignedBead(("一。",), ("One.",))])
    with pytest.raises(InputError) as raised:
        import_bytes(any_library, write_tmx([document]), "tmx", {**META, "slug": "taken"})
    assert raised.value.message == expected
    editor = add_user(any_library, "editor1", "correct horse battery", "editor")
    with pytest.raises(InputError) as raised:  # a web import says so at its preview
        preview_upload(any_library, editor, Upload("zh.txt", ZH.encode()),
                       Upload("en.txt", EN.encode()), {**META, "slug": "taken"})
    assert raised.value.message == expected
    assert slugs(any_library) == [] and work_slugs(any_library) == ["taken"]


def test_filing_a_lone_document_under_a_work_moves_it_and_its_own_work_goes(any_library):
    add_document(any_library, {**META, "slug": "declaration"}, ZH, EN)
    place = VersionPlace("udhr", "adopted", dt.date(1948, 12, 10))
    file_version(any_library, place, "宣言", "zh-Hans", slugs=["declaration"])
    assert place_of(any_library, "declaration") == ("udhr", "宣言", "zh-Hans", "adopted")
    assert work_slugs(any_library) == ["udhr"]
    file_version(any_library, place, "宣言", "zh-Hans", slugs=["declaration"])  # no change
    assert place_of(any_library, "declaration") == ("udhr", "宣言", "zh-Hans", "adopted")
