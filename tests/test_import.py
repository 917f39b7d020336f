"""Importing a document pair: what is stored, and every bad input refused with one line
while the database file stays byte-for-byte the same."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bitext.errors import InputError
from bitext.services.library import add_document_files, open_library
from bitext.services.reading import get_document
from bitext.store.schema import Document, Revision, Segment

ORIGINAL = (
    "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心。\n\n"
    "人人有资格享有本宣言所载的一切权利和自由。\n"
)
TRANSLATION = (
    "All human beings are born free and equal in dignity and rights. They are endowed with "
    "reason and conscience.\n\nEveryone is entitled to all the rights and freedoms set forth "
    "in this Declaration.\n"
)
META = {
    "slug": "udhr-articles",
    "title_original": "世界人权宣言（节选）",
    "title_translation": "Universal Declaration of Human Rights (excerpt)",
    "language_original": "zh-Hans",
    "language_translation": "en",
    "tags": ["human rights"],
    "status": "published",
}


@pytest.fixture
def files(tmp_path):
    def write(original=None, translation=None, meta=None):
        original = ORIGINAL.encode() if original is None else original
        translation = TRANSLATION.encode() if translation is None else translation
        (tmp_path / "zh.txt").write_bytes(original)
        (tmp_path / "en.txt").write_bytes(translation)
        meta_text = meta if isinstance(meta, str) else json.dumps(meta or META)
        (tmp_path / "meta.json").write_text(meta_text, encoding="utf-8")
        return tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "meta.json"

    return write


def test_import_stores_segments_revisions_and_beads(library, files):
    added = add_document_files(library, *files())
    assert added.paragraphs == (2, 2)
    assert added.sentences == (3, 3)
    view = get_document(library, "udhr-articles")
    assert [len(row.original) for row in view.rows] == [1, 1]
    first = view.rows[0]
    assert [s.text for s in first.original[0].sentences] == [
        "人人生而自由，在尊严和权利上一律平等。",
        "他们赋有理性和良心。",
    ]
    assert first.translation[0].sentences[1].text == "They are endowed with reason and conscience."
    with library.reader() as session:
        assert session.scalar(select(func.count(Revision.id))) == 2
        assert session.scalar(select(func.count(Segment.id))) == 4 + 6


def test_line_per_paragraph_layout(library, files):
    original = "第一段。\n第二段。\n第三段。\n".encode()
    translation = b"First paragraph.\nSecond paragraph.\nThird paragraph.\n"
    added = add_document_files(library, *files(original, translation))
    assert added.paragraphs == (3, 3)


def test_other_encodings_with_encoding_option(library, files):
    paths = files(ORIGINAL.encode("gb18030"), TRANSLATION.encode("gb18030"))
    added = add_document_files(library, *paths, encoding="gb18030")
    assert added.paragraphs == (2, 2)


def _database_bytes(path: Path) -> str:
    digest = hashlib.sha256()
    for name in (path, Path(f"{path}-wal")):
        digest.update(name.read_bytes() if name.exists() else b"<none>")
    return digest.hexdigest()


BAD_INPUTS = {
    "missing file": (lambda p: (p[0].with_name("absent.txt"), p[1], p[2]), "file not found"),
    "not utf-8": (None, "byte 0xc8 at offset 0"),
    "empty side": (None, "the translation text is empty"),
    "unknown language": (None, "unknown language code: 'xx-Nope'"),
    "duplicate slug": (None, "already exists"),
    "missing field": (None, "missing required field 'title_translation'"),
    "broken json": (None, "not valid JSON"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_one_line_error_database_unchanged(tmp_path, files, case):
    db_path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    add_document_files(database, *files(meta={**META, "slug": "existing"}))
    database.dispose()
    paths = {
        "missing file": lambda: files(),
        "not utf-8": lambda: files(original=ORIGINAL.encode("gb18030")),
        "empty side": lambda: files(translation=b"\n \n\t\n"),
        "unknown language": lambda: files(meta={**META, "language_original": "xx-Nope"}),
        "duplicate slug": lambda: files(meta={**META, "slug": "existing"}),
        "missing field": lambda: files(meta={k: v for k, v in META.items()
                                             if k != "title_translation"}),
        "broken json": lambda: files(meta='{"slug": '),
    }[case]()
    transform, expected = BAD_INPUTS[case]
    if transform:
        paths = transform(paths)
    before = _database_bytes(db_path)

    database = open_library(f"sqlite:///{db_path}")
    with pytest.raises(InputError) as raised:
        add_document_files(database, *paths)
    database.dispose()
    assert expected in raised.value.message
    assert "\n" not in raised.value.message
    assert _database_bytes(db_path) == before

    result = subprocess.run(
        [sys.executable, "-m", "bitext", "--db", str(db_path), "add", str(paths[0]),
         str(paths[1]), "--meta", str(paths[2])],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert _database_bytes(db_path) == before
    database = open_library(f"sqlite:///{db_path}")
    with database.reader() as session:
        assert session.scalars(select(Document.slug)).all() == ["existing"]
    database.dispose()


def test_cli_add_then_publish(tmp_path, files):
    db_path = tmp_path / "cli.db"
    zh, en, meta = files(meta={**META, "status": "draft"})
    run = [sys.executable, "-m", "bitext", "--db", str(db_path)]
    added = subprocess.run([*run, "add", str(zh), str(en), "--meta", str(meta)],
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    assert "added udhr-articles (draft): 2/2 paragraphs, 3/3 sentences" in added.stdout
    published = subprocess.run([*run, "publish", "udhr-articles"], capture_output=True,
                               text=True, timeout=120)
    assert published.returncode == 0 and "published" in published.stdout
    database = open_library(f"sqlite:///{db_path}")
    assert get_document(database, "udhr-articles").meta.status == "published"
    database.dispose()
