"""Bad documents: each refused in one line naming the problem with the library file left
byte for byte as it was, or (macros, external links, scripts, JavaScript in a PDF,
embedded files) read without what it carries, which is reported and never stored."""

import hashlib
import http.server
import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from import_documents import (
    CHROMIUM,
    encrypted_pdf,
    make_docx,
    make_html,
    render_pdfs,
)

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import make_aligner
from bitext.errors import InputError
from bitext.formats.readers.docx import ZipLimits, check_archive, read_docx
from bitext.services.file_import import add_from_files, prepare_import
from bitext.services.library import open_library
from bitext.store.schema import Segment

META = {"slug": "doc", "title_original": "文件", "title_translation": "Document",
        "language_original": "zh-Hans", "language_translation": "en"}
ZH = ["第一条 人人生而自由。", "第二条 人人有资格享有本宣言所载的一切权利和自由。"]
EN = ["Article 1 All human beings are born free.",
      "Article 2 Everyone is entitled to all the rights and freedoms set forth here."]


@pytest.fixture(scope="module")
def pdfs():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    scan_page = ('<html><body><div style="width:500px;height:700px;background:#777">'
                 "</div></body></html>")  # an image of a page, and no text
    text, scan = render_pdfs([make_html(EN, site=False), scan_page], title=None)
    return {"text": text, "scan": scan}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_entries(docx: bytes, replace: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return _zip({**entries, **replace})


def _html_bytes(text: str, charset: str, encoding: str, bom: bytes = b"") -> bytes:
    page = f'<!DOCTYPE html><html><head><meta charset="{charset}"></head><body><p>{text}</p>'
    return bom + page.encode(encoding)


BAD = {  # name: (file name, bytes maker, second file or None for bilingual, expected)
    "zip bomb": ("zh.docx", lambda p: _zip({"word/document.xml": b" " * 30_000_000}),
                 "compressed more than 200:1"),
    "too many zip entries": ("zh.docx", lambda p: _zip({f"word/m{i}.xml": b"x"
                                                        for i in range(5_000)}
                                                       | {"word/document.xml": b"x"}),
                             "5,001 entries in the archive, more than 5,000"),
    "truncated docx": ("zh.docx", lambda p: make_docx(ZH)[:3000],
                       "damaged or truncated zip archive"),
    "malformed docx": ("zh.docx", lambda p: _with_entries(make_docx(ZH), {
        "word/document.xml": b"<w:document><w:body><w:p>"}), "not a readable DOCX file"),
    "truncated pdf": ("zh.pdf", lambda p: p["text"][: len(p["text"]) // 2],
                      "not a readable PDF file"),
    "scanned pdf": ("zh.pdf", lambda p: p["scan"], "no text layer (a scan?); OCR it first"),
    "encrypted pdf": ("zh.pdf", lambda p: encrypted_pdf(p["text"]),
                      "the PDF is encrypted (it needs a password)"),
    "content contradicts extension": ("zh.docx", lambda p: p["text"],
                                      "the content is PDF but the name says DOCX; "
                                      "rename it or pass --format pdf"),
    "huge single paragraph": ("zh.txt", lambda p: ("人" * 300_000).encode(),
                              "paragraph 1 has 300,000 characters"),
    "meta charset contradicts the bytes": (
        "zh.html", lambda p: _html_bytes(ZH[0], "windows-1252", "utf-8"),
        "meta charset says windows-1252 but its bytes are UTF-8"),
    "bytes invalid in the declared charset": (
        "zh.html", lambda p: _html_bytes(ZH[0], "gbk", "gbk") + b"\x81\xff</p>",
        "not valid gbk text"),
}


def _database_bytes(path: Path) -> str:
    digest = hashlib.sha256()
    for name in (path, Path(f"{path}-wal")):
        digest.update(name.read_bytes() if name.exists() else b"<none>")
    return digest.hexdigest()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "library.db"
    open_library(f"sqlite:///{path}").dispose()
    return path


def _cli(db: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bitext", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_document_is_one_line_and_leaves_the_library_unchanged(case, db, tmp_path, pdfs):
    name, make, expected = BAD[case]
    (tmp_path / name).write_bytes(make(pdfs))
    (tmp_path / "en.txt").write_text("\n".join(EN), encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    before = _database_bytes(db)
    result = _cli(db, "add", tmp_path / name, tmp_path / "en.txt", "--meta",
                  tmp_path / "meta.json")
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    assert _database_bytes(db) == before


def test_bilingual_file_missing_one_language_is_refused(db, tmp_path):
    (tmp_path / "both.html").write_text(make_html(EN), encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    before = _database_bytes(db)
    result = _cli(db, "add", tmp_path / "both.html", "--meta", tmp_path / "meta.json")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "holds no Chinese (zh-Hans) paragraphs" in result.stderr, result.stderr
    assert _database_bytes(db) == before


@pytest.mark.parametrize("limits, expected", [
    (ZipLimits(max_entry_bytes=1_000), "unpacks to"),
    (ZipLimits(max_total_bytes=5_000), "the archive unpacks to"),
    (ZipLimits(max_entries=3), "entries in the archive, more than 3"),
])
def test_docx_archive_limits(limits, expected):
    with pytest.raises(InputError, match=expected):
        check_archive(make_docx(ZH), limits)


def _aligner():
    return make_aligner("zh-Hans", "en", encoder=HashingEncoder(dimensions=64))


def _stored_text(library) -> str:
    with library.reader() as session:
        return "\n".join(s.text for s in session.query(Segment))


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_docx_macros_and_external_relationships_are_never_run_or_fetched(library, tmp_path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        word = Document()
        for text in ZH:
            word.add_paragraph(text)
        word.part.relate_to(f"{url}/image.png", RT.IMAGE, is_external=True)
        word.part.relate_to(f"{url}/page.html", RT.HYPERLINK, is_external=True)
        buffer = io.BytesIO()
        word.save(buffer)
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="'
                'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                'Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                'vbaProject" Target="vbaProject.bin"/></Relationships>')
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            document_rels = archive.read("word/_rels/document.xml.rels").decode()
            content_types = archive.read("[Content_Types].xml").decode().replace(
                "<Default ", '<Default Extension="bin" ContentType="application/'
                'vnd.ms-office.vbaProject"/><Default ', 1)
        document_rels = document_rels.replace(
            "</Relationships>", rels.split("<Relationships", 1)[1].split(">", 1)[1])
        docx = _with_entries(buffer.getvalue(), {
            "word/vbaProject.bin": b"Attribute VB_Name = \"Evil\"\nSub AutoOpen()\nEnd Sub",
            "word/_rels/document.xml.rels": document_rels.encode(),
            "[Content_Types].xml": content_types.encode()})
        document = read_docx(docx)
        (tmp_path / "zh.docx").write_bytes(docx)
        (tmp_path / "en.txt").write_text("\n".join(EN), encoding="utf-8")
        (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
        prepared = prepare_import(tmp_path / "zh.docx", tmp_path / "en.txt",
                                  tmp_path / "meta.json")
        add_from_files(library, prepared, aligner=_aligner())
    finally:
        server.shutdown()
        server.server_close()
    assert [b.text for b in document.blocks] == ZH
    assert document.removed["macros (never run)"] == 1
    assert document.removed["external links and references (never fetched)"] == 2
    assert _Recorder.requests == []
    assert "AutoOpen" not in _stored_text(library)


def test_pdf_javascript_and_embedded_files_are_ignored(library, tmp_path, pdfs):
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs["text"])))
    writer.add_open_action(JavaScript("app.alert('pwned');"))
    writer.add_attachment("secret.txt", b"EMBEDDED SECRET TEXT")
    buffer = io.BytesIO()
    writer.write(buffer)
    (tmp_path / "en.pdf").write_bytes(buffer.getvalue())
    (tmp_path / "zh.txt").write_text("\n".join(ZH), encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    prepared = prepare_import(tmp_path / "zh.txt", tmp_path / "en.pdf", tmp_path / "meta.json")
    assert prepared.sides[1].removed["JavaScript (never run)"] == 1
    assert prepared.sides[1].removed["embedded files (not read)"] == 1
    assert prepared.translation == EN
    add_from_files(library, prepared, aligner=_aligner())
    stored = _stored_text(library)
    assert "pwned" not in stored and "EMBEDDED SECRET" not in stored


def test_html_active_content_never_reaches_stored_text(library, tmp_path):
    page = ("<!DOCTYPE html><html><head><style>p{color:red} .x{}</style>"
            "<script>steal('head')</script></head><body onload=\"steal('load')\">"
            f"<main><p onclick=\"steal('click')\">{EN[0]}<script>steal('inline')</script></p>"
            "<iframe src=\"https://example.invalid/\">iframe fallback text</iframe>"
            f"<p>{EN[1]} <a href=\"javascript:steal('link')\">see here</a>"
            "<img src=x onerror=\"steal('img')\"></p><noscript>enable scripts</noscript>"
            "<style>.late{}</style><template><p>template text</p></template></main></body></html>")
    (tmp_path / "en.html").write_text(page, encoding="utf-8")
    (tmp_path / "zh.txt").write_text("\n".join(ZH), encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    prepared = prepare_import(tmp_path / "zh.txt", tmp_path / "en.html",
                              tmp_path / "meta.json")
    assert prepared.translation == [EN[0], f"{EN[1]} see here"]
    assert prepared.sides[1].removed["scripts"] == 2
    assert prepared.sides[1].removed["iframes"] == 1
    add_from_files(library, prepared, aligner=_aligner())
    stored = _stored_text(library)
    for payload in ("steal", "javascript", "color:red", "iframe fallback", "enable scripts",
                    "template text", ".late", "onerror"):
        assert payload not in stored


def test_html_byte_order_mark_wins_over_the_meta_charset():
    from bitext.formats.readers.html import read_html

    data = _html_bytes(ZH[0], "gb2312", "utf-8", bom=b"\xef\xbb\xbf")
    assert [b.text for b in read_html(data).blocks] == [ZH[0]]
    gbk = _html_bytes(ZH[0], "gbk", "gbk")
    assert [b.text for b in read_html(gbk).blocks] == [ZH[0]]
