"""The cite, export and import commands, run as a user runs them."""

import json
import subprocess
import sys

import pytest

from bitext.services.demo import DEMO_DIR

SLUG = "prc-constitution-2018"
# The lead registers bitext.cli.export in bitext/cli/__init__.py; import it here either way.
RUN = ("import bitext.cli, bitext.cli.export; from bitext.cli.app import app; "
       "app(prog_name='bitext')")


def bitext(db, *args, check=True):
    result = subprocess.run(
        [sys.executable, "-c", RUN, "--db", str(db), *map(str, args)],
        capture_output=True, text=True, timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "library.db"
    folder = DEMO_DIR / SLUG
    bitext(path, "add", folder / "original.txt", folder / "translation.txt",
           "--meta", folder / "meta.json")
    return path


def test_cite_styles_and_paragraph(db):
    chicago = bitext(db, "cite", SLUG).stdout
    assert "original work published in" in chicago and "[中华人民共和国宪法]" in chicago
    # The 2018 text cites as 2018, the year of the version translated, and names 1982.
    apa = bitext(db, "cite", SLUG, "--style", "apa").stdout
    assert "(2018, March 11)" in apa and "(Original work published 1982)" in apa
    paragraph = bitext(db, "cite", SLUG, "--paragraph", "2", "--base-url", "https://x.org")
    assert "https://x.org/documents/prc-constitution-2018#p2" in paragraph.stdout
    assert bitext(db, "cite", SLUG, "--style", "bib").stdout.startswith("@misc{")
    # Without a public address the link is relative, and the CLI says so (on stderr).
    assert "public_base_url" in bitext(db, "cite", SLUG).stderr
    assert "public_base_url" not in paragraph.stderr


def test_cite_takes_the_public_address_and_name_from_settings(db, monkeypatch):
    monkeypatch.setenv("BITEXT_PUBLIC_BASE_URL", "https://library.example.org/")
    monkeypatch.setenv("BITEXT_LIBRARY_NAME", "Example Translation Library")
    chicago = bitext(db, "cite", SLUG, "--paragraph", "3").stdout
    assert "Example Translation Library" in chicago
    assert "https://library.example.org/documents/prc-constitution-2018#p3" in chicago


def test_export_and_import_round_trip(db, tmp_path):
    for fmt in ("tmx", "xliff", "jsonl"):
        out = tmp_path / f"doc.{fmt}"
        bitext(db, "export", SLUG, "--format", fmt, "--output", out)
        meta = json.loads((DEMO_DIR / SLUG / "meta.json").read_text("utf-8"))
        meta["slug"] = f"copy-{fmt}"
        meta_path = tmp_path / f"{fmt}.json"
        meta_path.write_text(json.dumps(meta), "utf-8")
        if fmt == "jsonl":
            lines = out.read_text("utf-8").splitlines()
            head = json.loads(lines[0])
            head["metadata"]["slug"] = "copy-jsonl"
            out.write_text("\n".join([json.dumps(head), *lines[1:]]), "utf-8")
            result = bitext(db, "import", out, "--format", fmt)
        else:
            result = bitext(db, "import", out, "--format", fmt, "--meta", meta_path)
        assert f"imported copy-{fmt}" in result.stdout
        again = bitext(db, "export", f"copy-{fmt}", "--format", "tmx").stdout
        original = bitext(db, "export", SLUG, "--format", "tmx").stdout
        assert again.count("<tu ") == original.count("<tu ") > 0


def test_export_all_and_docx(db, tmp_path):
    out = tmp_path / "library.jsonl"
    bitext(db, "export", "--all", "--format", "jsonl", "--output", out)
    kinds = [json.loads(line)["kind"] for line in out.read_text("utf-8").splitlines()]
    assert kinds.count("document") >= 1
    docx = tmp_path / "doc.docx"
    bitext(db, "export", SLUG, "--format", "docx", "--output", docx)
    assert docx.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args, message", [
    (("export", "nope", "--format", "tmx"), "error: Document not found"),
    (("export", SLUG, "--format", "pdf"), "error: unknown format"),
    (("export", "--all", "--format", "xliff"), "error: xliff holds one document per file"),
    (("cite", SLUG, "--style", "harvard"), "error: unknown citation style"),
    (("import", "/nonexistent.tmx", "--format", "tmx"), "error: file not found"),
])
def test_user_errors_are_one_line(db, args, message):
    result = bitext(db, *args, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_import_refuses_hostile_xml(db, tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   "<tmx>&x;</tmx>", "utf-8")
    result = bitext(db, "import", bad, "--format", "tmx", check=False)
    assert result.returncode == 1 and result.stderr.startswith("error: XML input refused")
