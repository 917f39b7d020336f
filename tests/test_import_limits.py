"""Import limits: a file is measured before it is read, a paragraph, a sentence and the
metadata are bounded, and each refusal is one line that leaves the library unchanged."""

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import select

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import make_aligner
from bitext.core.text.segment import cut_sentence
from bitext.errors import InputError
from bitext.formats.model import AlignedBead, AlignedDocument
from bitext.formats.tmx import write_tmx
from bitext.services.import_limits import ImportLimits, read_file_bytes
from bitext.services.importing import import_bytes, import_file
from bitext.services.library import add_document_files, open_library
from bitext.services.reading import get_document
from bitext.settings import Settings
from bitext.store.schema import Document

META = {
    "slug": "limits", "title_original": "限制", "title_translation": "Limits",
    "language_original": "zh-Hans", "language_translation": "en",
}


def _limits(**changed) -> ImportLimits:
    return ImportLimits.from_settings(Settings(**changed))


def _hashing_aligner():
    return make_aligner("zh-Hans", "en", encoder=HashingEncoder(dimensions=64))


def _write(tmp_path, original: str | bytes, translation: str | bytes, meta=None):
    paths = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "meta.json"
    for path, content in zip(paths[:2], (original, translation), strict=True):
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    paths[2].write_text(json.dumps(meta or META, ensure_ascii=False), encoding="utf-8")
    return paths


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _slugs(db_path) -> list[str]:
    database = open_library(f"sqlite:///{db_path}")
    try:
        with database.reader() as session:
            return list(session.scalars(select(Document.slug)))
    finally:
        database.dispose()


def test_dev_zero_is_refused_after_one_byte_past_the_limit(tmp_path):
    """/dev/zero has no size: it used to be read until memory ran out (5 GB). The
    subprocess timeout only guards against a hang; the work is bounded by reading the
    limit and one byte more (read_file_bytes, below)."""
    _, en, meta = _write(tmp_path, "", "Hello.\n")
    db_path = tmp_path / "library.db"
    env = {**os.environ, "BITEXT_IMPORT_MAX_BYTES": "1000000"}
    result = subprocess.run(
        [sys.executable, "-m", "bitext", "--db", str(db_path), "add", "/dev/zero", str(en),
         "--meta", str(meta)],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 1
    assert result.stderr == "error: /dev/zero: larger than 1,000,000 bytes (setting " \
                            "import_max_bytes)\n"
    assert _slugs(db_path) == []


def test_a_file_without_a_size_is_read_to_one_byte_past_the_limit(tmp_path):
    """A pipe has no size: exactly max_bytes + 1 bytes are taken from it, never more."""
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    written = []

    def feed() -> None:  # far more than the limit, in blocks, until the reader closes
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb", buffering=0) as pipe:
            for _ in range(1000):
                pipe.write(b"x" * 4096)
                written.append(4096)

    feeder = threading.Thread(target=feed)
    feeder.start()
    with pytest.raises(InputError, match="larger than 10,000 bytes"):
        read_file_bytes(fifo, 10_000)
    feeder.join(timeout=60)
    assert not feeder.is_alive()
    assert sum(written) < 1000 * 4096  # the reader stopped; the rest was never read


def test_a_large_regular_file_is_refused_by_its_size(tmp_path, library):
    zh, en, meta = _write(tmp_path, "中文。\n" * 220_000, "English.\n")  # 2.2 MB
    with pytest.raises(InputError) as raised:
        add_document_files(library, zh, en, meta, limits=_limits(import_max_bytes=2_000_000))
    assert raised.value.message == f"{zh}: larger than 2,000,000 bytes (setting " \
                                   "import_max_bytes)"


def test_bitext_import_measures_its_file_first(tmp_path, library):
    document = AlignedDocument({}, "zh-Hans", "en", [AlignedBead(("中文。",), ("Chinese.",))])
    path = tmp_path / "doc.tmx"
    path.write_bytes(write_tmx([document]) + b" " * 100_000)
    (tmp_path / "meta.json").write_text(json.dumps(META), encoding="utf-8")
    with pytest.raises(InputError, match=r"doc.tmx: larger than 50,000 bytes"):
        import_file(library, path, "tmx", tmp_path / "meta.json",
                    limits=_limits(import_max_bytes=50_000))


def test_a_huge_paragraph_is_refused_by_its_number(tmp_path):
    """A 3 MB single line used to be stored whole (its page was twice its size)."""
    db_path = tmp_path / "library.db"
    zh, en, meta = _write(tmp_path, "第一段。\n" + "字" * 3_000_000 + "\n", "One.\nTwo.\n")
    open_library(f"sqlite:///{db_path}").dispose()
    before = _digest(db_path)
    database = open_library(f"sqlite:///{db_path}")
    with pytest.raises(InputError) as raised:
        add_document_files(database, zh, en, meta, aligner=_hashing_aligner())
    database.dispose()
    assert raised.value.message == ("the original text: paragraph 2 has 3,000,000 characters, "
                                    "more than 100,000 (setting import_max_paragraph_chars)")
    assert _digest(db_path) == before


def test_a_long_sentence_is_cut_for_alignment_and_kept_whole_in_the_paragraph(
    tmp_path, library
):
    words = "And " + " ".join(f"word{k}" for k in range(1500))  # 11,394 characters
    zh, en, meta = _write(tmp_path, "第一句。第二句。\n", f"First. {words}\n")
    add_document_files(library, zh, en, meta, aligner=_hashing_aligner())
    [row] = get_document(library, "limits", statuses=("draft",)).rows
    [paragraph] = row.translation
    sentences = [s.text for s in paragraph.sentences]
    assert sentences[0] == "First."
    assert len(sentences) == 1 + -(-len(words) // 1999)  # pieces just under the limit
    assert all(len(s) <= 2000 for s in sentences)
    assert " ".join(sentences[1:]) == words


def test_cut_sentence_prefers_spaces_and_clause_marks_and_cuts_anywhere_without():
    assert cut_sentence("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]
    assert cut_sentence("一二三，四五六七八九十", 6) == ["一二三，", "四五六七八九", "十"]
    assert cut_sentence("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert cut_sentence("short", 10) == ["short"]


def test_bitext_import_refuses_a_sentence_it_cannot_cut(library):
    long_sentence = "字" * 3000
    document = AlignedDocument({}, "zh-Hans", "en",
                               [AlignedBead(("短句。",), ("Short.",)),
                                AlignedBead((long_sentence,), ("Long.",))])
    with pytest.raises(InputError) as raised:
        import_bytes(library, write_tmx([document]), "tmx", META)
    assert raised.value.message == (
        "the original side: a sentence of paragraph 2 has 3,000 characters, more than 2,000 "
        "(setting import_max_sentence_chars)")


@pytest.mark.parametrize(("change", "expected"), [
    ({"source": "S" * 900_000},
     "metadata: field 'source': longer than 2,000 characters (setting "
     "metadata_max_field_chars)"),
    ({"tags": [f"t{k}" for k in range(100_000)]},
     "metadata: field 'tags': more than 200 items (setting metadata_max_list_items)"),
    ({"extra": {"notes": ["n" * 5000]}},
     "metadata: field 'extra.notes.0': longer than 2,000 characters (setting "
     "metadata_max_field_chars)"),
])
def test_metadata_fields_are_bounded(tmp_path, change, expected):
    """A 20 MB source made every library page 40 MB; 200,000 tags took 92 s to import."""
    db_path = tmp_path / "library.db"
    paths = _write(tmp_path, "中文。\n", "Chinese.\n", {**META, **change})
    open_library(f"sqlite:///{db_path}").dispose()
    before = _digest(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "bitext", "--db", str(db_path), "add", *map(str, paths[:2]),
         "--meta", str(paths[2])],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == f"error: {expected}\n"
    assert _digest(db_path) == before


def test_a_long_summary_is_capped_by_the_schema_not_the_field_limit(tmp_path, library):
    paths = _write(tmp_path, "中文。\n", "Chinese.\n", {**META, "summary": "s" * 10_000})
    added = add_document_files(library, *paths, aligner=_hashing_aligner())
    assert added.slug == "limits"


def test_a_huge_metadata_file_is_refused_before_it_is_read(tmp_path, library):
    paths = _write(tmp_path, "中文。\n", "Chinese.\n", {**META, "x": "y" * 1_200_000})
    with pytest.raises(InputError) as raised:
        add_document_files(library, *paths)
    assert raised.value.message == (f"{paths[2]}: larger than 1,000,000 bytes (setting "
                                    "metadata_max_bytes)")
