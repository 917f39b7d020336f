"""Editors import on the web: real uploads through the app, a preview that writes no
document, a background job with its progress, and the import report. Bad uploads give one
clear line and write nothing."""

import io
import re
import time
import zipfile
from html import unescape

import pytest
from fastapi.testclient import TestClient
from import_documents import (
    CHROMIUM,
    encrypted_pdf,
    make_docx,
    make_docx_table,
    make_html,
    render_pdfs,
)

from bitext.services.accounts import add_user
from bitext.store.import_jobs import DONE, FAILED
from bitext.store.schema import AuditEntry, Document, ImportJob
from tests.test_web_editorial import PASSWORD, csrf_of, log_in, make_client

ZH = ["第一条 人人生而自由，在尊严和权利上一律平等。",
      "第二条 人人有资格享有本宣言所载的一切权利和自由。",
      "第三条 人人有权享有生命、自由和人身安全。"]
EN = ["Article 1 All human beings are born free and equal in dignity and rights.",
      "Article 2 Everyone is entitled to all the rights and freedoms set forth here.",
      "Article 3 Everyone has the right to life, liberty and security of person."]
FIELDS = {"slug": "udhr", "title_original": "世界人权宣言",
          "title_translation": "Universal Declaration of Human Rights",
          "language_original": "zh-Hans", "language_translation": "en", "format": "auto"}
JOB_TIMEOUT_S = 300


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def editor(library, tmp_path):
    add_user(library, "editor1", PASSWORD, "editor")
    with make_client(library, tmp_path) as client:
        log_in(client, "editor1")
        yield client


def upload(client: TestClient, files: dict, fields: dict | None = None, csrf: bool = True):
    data = {**FIELDS, **(fields or {})}
    if csrf:
        data["csrf"] = csrf_of(client.get("/editor/import").text)
    return client.post("/editor/import", data=data, files=files)


def counts(library) -> tuple[int, int]:
    """Documents, and import jobs of any status (previews included)."""
    with library.reader() as session:
        return session.query(Document).count(), session.query(ImportJob).count()


def wait_for_job(client: TestClient, job_path: str) -> str:
    """Follow the progress page until it sends us to the report; the report's path."""
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        response = client.get(job_path)
        if response.status_code == 303:
            return response.headers["location"]
        assert response.status_code == 200
        assert "The import failed" not in response.text, text_of(response.text)
        assert '<meta http-equiv="refresh"' in response.text
        time.sleep(0.3)
    raise AssertionError("the import did not finish")


def test_docx_and_html_upload_preview_confirm_and_report(editor, library):
    response = upload(editor, {
        "original": ("udhr-zh.docx", make_docx(ZH, title="世界人权宣言"),
                     "application/octet-stream"),
        "translation": ("udhr-en.html", make_html(EN, title="UDHR").encode(), "text/html")})
    assert response.status_code == 303, text_of(response.text)
    preview_path = response.headers["location"]
    preview = editor.get(preview_path)
    page = text_of(preview.text)
    assert "Nothing is saved yet" in page
    assert re.search(r"Paragraphs 4 4", page), page  # the title and three articles a side
    assert re.search(r"Headings kept 1 1", page), page
    assert "Home" not in page and "Footer text" not in page  # the site around the text
    assert ZH[0] in page and EN[0] in page
    assert counts(library) == (0, 1)  # the preview only: no document

    confirm = editor.post(preview_path.replace("/preview", "/confirm"),
                          data={"csrf": csrf_of(preview.text)})
    assert confirm.status_code == 303
    report_path = wait_for_job(editor, confirm.headers["location"])
    report = text_of(editor.get(report_path).text)
    assert "original: udhr-zh.docx (docx): 4 paragraphs, 1 headings" in report
    assert re.search(r"alignment: \d+ paragraph beads, \d+ sentence beads, \d+ uncertain",
                     report), report
    assert "read the document" in report
    assert editor.get("/documents/udhr").status_code == 200  # a draft, for editors
    with library.reader() as session:
        job = session.query(ImportJob).one()
        assert job.status == DONE and job.prepared is None
        detail = session.query(AuditEntry).filter_by(action="document.add").one().detail
    assert detail["import_report"]["alignment"] == job.report["alignment"]
    # the preview was used up: confirming again is refused, nothing written twice
    again = editor.post(preview_path.replace("/preview", "/confirm"),
                        data={"csrf": csrf_of(editor.get("/editor/import").text)})
    assert again.status_code == 400 and "confirmed already" in again.text
    assert counts(library) == (1, 1)


def test_bilingual_table_upload_keeps_its_pairs(editor, library):
    table = make_docx_table(list(zip(ZH, EN, strict=True)))
    response = upload(editor, {"original": ("both.docx", table, "application/octet-stream")})
    assert response.status_code == 303, text_of(response.text)
    preview = editor.get(response.headers["location"])
    page = text_of(preview.text)
    assert "One bilingual file" in page
    for zh, en in zip(ZH, EN, strict=True):  # side by side as the file pairs them
        assert re.search(re.escape(zh) + r"\s+" + re.escape(en), page)
    confirm = editor.post(response.headers["location"].replace("/preview", "/confirm"),
                          data={"csrf": csrf_of(preview.text)})
    report = text_of(editor.get(wait_for_job(editor, confirm.headers["location"])).text)
    assert "bilingual layout" in report
    assert counts(library) == (1, 1)


LONG_ZH = [f"第{n}条 {ZH[n % 3][4:]}" for n in range(1, 41)]  # several pages a side
LONG_EN = [f"Article {n} {EN[n % 3][10:]}" for n in range(1, 41)]


@pytest.fixture(scope="module")
def pdf_files():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    return render_pdfs([make_html(LONG_ZH, site=False, lang="zh"),
                        make_html(LONG_EN, site=False)],
                       title="Universal Declaration of Human Rights")


def test_pdf_upload_preview_reports_running_heads_and_page_numbers(editor, library,
                                                                   pdf_files):
    response = upload(editor, {"original": ("zh.pdf", pdf_files[0], "application/pdf"),
                               "translation": ("en.pdf", pdf_files[1], "application/pdf")})
    assert response.status_code == 303, text_of(response.text)
    page = text_of(editor.get(response.headers["location"]).text)
    assert re.search(r"Paragraphs 40 40", page), page
    assert re.search(r"Pages ([2-9]) \1", page), page
    assert "page numbers" in page and "running headers" in page
    assert "repeated at the top of every page" in page
    rows = page.split("The first paragraphs")[1]
    assert "Universal Declaration of Human Rights" not in rows
    assert f"{LONG_ZH[0]} {LONG_EN[0]}" in rows
    assert counts(library) == (0, 1)


def _zip_not_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


EN_FILE = ("en.txt", "\n".join(EN).encode(), "text/plain")
BAD = {  # name: (files, extra fields, status, the one line expected)
    "wrong type": (lambda p: {"original": ("sheet.xlsx", _zip_not_word(), "x"),
                              "translation": EN_FILE},
                   {}, 400, "sheet.xlsx: a zip archive but not a Word document"),
    "content contradicts extension": (
        lambda p: {"original": ("zh.docx", make_html(ZH).encode(), "x"),
                   "translation": EN_FILE},
        {}, 400, "zh.docx: the content is HTML but the name says DOCX; rename it or choose "
                 "“Web page (HTML)” as its Format"),  # the form's field, not --format
    "content not what its name says": (
        lambda p: {"original": ("zh.pdf", "\n".join(ZH).encode(), "x"),
                   "translation": EN_FILE},
        {}, 400, "zh.pdf: not a PDF file (its content does not start as one does); choose "
                 "its Format in the form"),
    "meta charset contradicts the bytes": (  # the form asks no encoding: no --encoding
        lambda p: {"original": ("zh.html", b'<html><head><meta charset="windows-1252">'
                                b"</head><body><p>" + ZH[0].encode() + b"</p></body></html>",
                                "text/html"), "translation": EN_FILE},
        {}, 400, "zh.html: the page's meta charset says windows-1252 but its bytes are "
                 "UTF-8; save the file as UTF-8 and upload it again"),
    "encrypted pdf": (lambda p: {"original": ("zh.pdf", encrypted_pdf(p[0]), "application/pdf"),
                                 "translation": EN_FILE},
                      {}, 400, "the PDF is encrypted (it needs a password)"),
    "no file": (lambda p: {}, {}, 400, "choose the original file"),
    "bad metadata": (lambda p: {"original": ("zh.docx", make_docx(ZH), "x"),
                                "translation": EN_FILE},
                     {"language_original": "not a language!"}, 400,
                     "metadata: unknown language code: 'not a language!'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_upload_is_one_line_and_writes_nothing(case, editor, library, pdf_files):
    make, fields, status, expected = BAD[case]
    response = upload(editor, make(pdf_files), fields)
    assert response.status_code == status, text_of(response.text)
    alerts = re.findall(r'role="alert">([^<]*)<', response.text)
    assert len(alerts) == 1 and expected in unescape(alerts[0]), alerts
    assert unescape(alerts[0]).count("\n") == 0
    assert 'value="Universal Declaration of Human Rights"' in response.text  # form kept
    assert counts(library) == (0, 0)


def test_existing_slug_is_refused_at_preview(editor, library):
    files = {"original": ("zh.docx", make_docx(ZH), "x"), "translation": EN_FILE}
    preview = editor.get(upload(editor, files).headers["location"])
    editor.post(preview.url.path.replace("/preview", "/confirm"),
                data={"csrf": csrf_of(preview.text)})
    wait_for_job(editor, preview.url.path.replace("/import/", "/imports/")
                 .replace("/preview", ""))
    response = upload(editor, files)
    assert response.status_code == 400
    assert "a document with slug 'udhr' already exists" in unescape(response.text)


def test_oversize_upload_is_refused_before_it_is_read(library, tmp_path):
    add_user(library, "editor1", PASSWORD, "editor")
    with make_client(library, tmp_path, import_max_bytes=2_000) as client:
        log_in(client, "editor1")
        big = ("big.txt", b"x" * 1_100_000, "text/plain")  # over two files and the form
        response = upload(client, {"original": big, "translation": EN_FILE})
        assert response.status_code == 413
        assert "each file may have at most 2,000 bytes (setting import_max_bytes)" in \
            unescape(response.text)
        # one file over the limit inside a body that is not: refused by the route
        one = ("one.txt", b"y" * 2_500, "text/plain")
        response = upload(client, {"original": one, "translation": EN_FILE})
        assert response.status_code == 400
        assert "one.txt: larger than 2,000 bytes (setting import_max_bytes)" in \
            unescape(response.text)
    assert counts(library) == (0, 0)


def test_upload_without_csrf_or_session_is_refused(editor, library, tmp_path):
    files = {"original": ("zh.docx", make_docx(ZH), "x"), "translation": EN_FILE}
    response = upload(editor, files, csrf=False)
    assert response.status_code == 403
    assert "This form has expired or did not come from this site" in response.text
    response = upload(editor, files, {"csrf": "forged"}, csrf=False)
    assert response.status_code == 403
    with make_client(library, tmp_path) as anonymous:
        token = csrf_of(anonymous.get("/login").text)
        response = anonymous.post("/editor/import", data={**FIELDS, "csrf": token},
                                  files=files)
        assert response.status_code == 403  # no session: multipart is never read
        assert anonymous.get("/editor/import").status_code == 404
    assert counts(library) == (0, 0)


def test_another_editors_preview_is_not_found(editor, library, tmp_path):
    files = {"original": ("zh.docx", make_docx(ZH), "x"), "translation": EN_FILE}
    preview_path = upload(editor, files).headers["location"]
    add_user(library, "editor2", PASSWORD, "editor")
    with make_client(library, tmp_path) as other:
        token = csrf_of(other.get("/login").text)
        other.post("/login", data={"name": "editor2", "password": PASSWORD, "next": "/",
                                   "csrf": token})
        assert other.get(preview_path).status_code == 404
        response = other.post(preview_path.replace("/preview", "/confirm"),
                              data={"csrf": csrf_of(other.get("/editor/import").text)})
        assert response.status_code == 400
    with library.reader() as session:
        assert session.query(ImportJob).one().status == "preview"


def test_a_job_whose_process_stopped_beating_is_shown_failed(editor, library):
    """A running job with an old heartbeat (its process died) fails on the next look."""
    import datetime as dt

    files = {"original": ("zh.docx", make_docx(ZH), "x"), "translation": EN_FILE}
    job_id = int(upload(editor, files).headers["location"].split("/")[-2])
    with library.transaction() as session:
        job = session.get(ImportJob, job_id)
        job.status, job.heartbeat_at = "running", dt.datetime(2000, 1, 1)
    page = editor.get(f"/editor/imports/{job_id}")
    assert "The import failed: interrupted" in text_of(page.text)
    with library.reader() as session:
        assert session.get(ImportJob, job_id).status == FAILED
    assert counts(library) == (0, 1)


def test_upload_form_names_each_field_once(editor):
    """A browser sends every input: a field twice (a required one again among the optional
    ones) would send its empty copy too."""
    names = re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"',
                       editor.get("/editor/import").text)
    form_names = [n for n in names if n != "csrf"]
    assert len(form_names) == len(set(form_names)), names
    assert {"original", "translation", "format", "slug", "title_original", "tags"} <= set(names)


def test_cli_import_prints_the_report_editors_read_on_the_web(library, tmp_path):
    """One formatter: what ``bitext add`` prints is what the document's report page says."""
    import json
    import subprocess
    import sys

    (tmp_path / "zh.docx").write_bytes(make_docx(ZH, title="世界人权宣言"))
    (tmp_path / "en.html").write_text(make_html(EN, title="UDHR"), encoding="utf-8")
    meta = {k: v for k, v in FIELDS.items() if k != "format"}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    database_path = library.url.database
    result = subprocess.run(
        [sys.executable, "-m", "bitext", "--db", database_path, "add", tmp_path / "zh.docx",
         tmp_path / "en.html", "--meta", tmp_path / "meta.json"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines()
               if line.startswith(("original:", "translation:", "alignment:"))]
    assert len(printed) == 3, result.stdout
    add_user(library, "editor1", PASSWORD, "editor")
    with make_client(library, tmp_path) as client:
        assert client.get("/editor/documents/udhr/import-report").status_code == 404
        log_in(client, "editor1")
        page = text_of(client.get("/editor/documents/udhr/import-report").text)
        assert client.get("/editor/documents/nothing/import-report").status_code == 404
    for line in printed:
        assert line in page, (line, page)


def test_document_page_links_only_editors_to_its_import_report(library, tmp_path):
    """The editor's tools link to the import's report; readers' pages (the cached one
    too) and a document that came in without a report do not."""
    from bitext.services.file_import import Upload, add_from_files, prepare_uploads
    from bitext.services.library import add_document

    meta = {**{k: v for k, v in FIELDS.items() if k != "format"}, "status": "published"}
    add_from_files(library, prepare_uploads(Upload("zh.docx", make_docx(ZH)),
                                            Upload("en.txt", "\n".join(EN).encode()), meta))
    add_document(library, {**meta, "slug": "no-report"}, "\n\n".join(ZH), "\n\n".join(EN))
    add_user(library, "editor1", PASSWORD, "editor")
    link = 'href="/editor/documents/udhr/import-report"'
    with make_client(library, tmp_path) as client:
        first = client.get("/documents/udhr")
        assert first.status_code == 200 and link not in first.text
        log_in(client, "editor1")
        page = client.get("/documents/udhr").text
        assert link in page and ">Import report</a>" in page
        assert client.get("/editor/documents/udhr/import-report").status_code == 200
        assert "import-report" not in client.get("/documents/no-report").text
        client.cookies.clear()  # a reader again: the page the cache kept has no link
        again = client.get("/documents/udhr", headers={"If-None-Match": ""})
        assert again.status_code == 200 and link not in again.text
        assert again.headers["etag"] == first.headers["etag"]


@pytest.mark.postgres
def test_web_import_on_postgresql(postgres_url, tmp_path):
    """The job's claim, progress and end, and the import's one transaction, on PostgreSQL."""
    from bitext.services.library import open_library

    database = open_library(postgres_url)
    try:
        add_user(database, "editor1", PASSWORD, "editor")
        with make_client(database, tmp_path) as client:
            log_in(client, "editor1")
            response = upload(client, {"original": ("zh.docx", make_docx(ZH), "x"),
                                       "translation": EN_FILE})
            assert response.status_code == 303, text_of(response.text)
            preview = client.get(response.headers["location"])
            confirm = client.post(response.headers["location"].replace("/preview", "/confirm"),
                                  data={"csrf": csrf_of(preview.text)})
            report = text_of(client.get(wait_for_job(client, confirm.headers["location"])).text)
        assert "original: zh.docx (docx): 3 paragraphs" in report
        assert counts(database) == (1, 1)
    finally:
        database.dispose()


def test_chosen_format_overrides_the_files_name(editor, library):
    markdown = ("# 世界人权宣言\n\n" + "\n\n".join(ZH)).encode()
    response = upload(editor, {"original": ("zh.txt", markdown, "text/plain"),
                               "translation": EN_FILE}, {"format": "markdown"})
    assert response.status_code == 303, text_of(response.text)
    page = text_of(editor.get(response.headers["location"]).text)
    assert "zh.txt (markdown)" in page and "en.txt (markdown)" in page
    assert re.search(r"Headings kept 1 0", page), page


def test_upload_with_too_many_files_is_refused_unread(editor, library):
    files = [("original", ("a.txt", b"a", "text/plain")),
             ("translation", ("b.txt", b"b", "text/plain")),
             ("extra", ("c.txt", b"c", "text/plain"))]
    response = editor.post("/editor/import", files=files, data={
        **FIELDS, "csrf": csrf_of(editor.get("/editor/import").text)})
    assert response.status_code == 400
    assert "The upload could not be read: Too many files" in text_of(response.text)
    assert counts(library) == (0, 0)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres",
                                                           marks=pytest.mark.postgres)])
def test_two_processes_looking_for_work_never_claim_the_same_job(backend, request, tmp_path):
    """Claiming is one conditional update: runners racing on one database split the
    queue, each job claimed once."""
    import threading

    from bitext.services.library import open_library
    from bitext.store import import_jobs as jobs

    library = open_library(request.getfixturevalue("postgres_url") if backend == "postgres"
                           else f"sqlite:///{tmp_path / 'library.db'}")
    request.addfinalizer(library.dispose)
    with library.transaction() as session:
        ids = [jobs.add_preview(session, None, f"doc-{n}", {}) for n in range(12)]
        for job_id in ids:
            jobs.queue_preview(session, job_id, None)
    url = library.url.render_as_string(hide_password=False)
    others = [open_library(url) for _ in range(3)]  # as other processes would
    claimed: list[int] = []

    def work(database) -> None:
        while True:
            with database.transaction() as session:
                found = jobs.claim_next(session)
            if found is None:
                return
            claimed.append(found[0])

    threads = [threading.Thread(target=work, args=(d,)) for d in (library, *others)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in others:
        database.dispose()
    assert sorted(claimed) == ids
