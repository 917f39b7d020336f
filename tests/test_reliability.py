"""Nothing lost: crashes in the middle of a write and a full disk leave the library whole.

Real processes on a real SQLite file: ``bitext add`` is paused at a named point inside its
write transaction (the test-only ``BITEXT_TEST_PAUSE_IN_WRITE`` hook), the test sees that it
got there and holds the write lock, and kills it with SIGKILL; afterwards the file passes
``bitext doctor --strict`` and holds none of the document. A size cap (``max_page_count``)
stands in for a full disk.
"""

import json
import signal
import sqlite3
import subprocess
import sys

import faults
import pytest

from bitext.services.accounts import add_user
from bitext.services.demo import DEMO_DIR
from bitext.services.editing import edit_paragraph
from bitext.services.library import add_document, add_document_files, open_library
from bitext.services.reading import get_document
from bitext.services.reports import submit_report
from bitext.settings import Settings
from bitext.store.database import StorageFull

BIG = DEMO_DIR / "prc-constitution-2018"
IMPORT_KILL_POINTS = ["after-document-row", "after-segments-before-alignment",
                      "after-search-index-rows"]


def integrity(db_path) -> str:
    """'ok' when the file and everything ``bitext doctor`` checks are sound."""
    with sqlite3.connect(db_path) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    doctor = subprocess.run([sys.executable, "-m", "bitext", "--db", str(db_path), "doctor",
                             "--strict"], capture_output=True, text=True, timeout=120)
    return result if doctor.returncode == 0 else doctor.stdout


def document_state(db_path, slug) -> tuple[int, int, int]:
    """(documents, revisions, alignments) for ``slug``: all present or all absent."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT (SELECT count(*) FROM documents WHERE slug = ?),"
            " (SELECT count(*) FROM revisions JOIN documents d ON d.id = document_id"
            "  WHERE d.slug = ?),"
            " (SELECT count(*) FROM alignments JOIN documents d ON d.id = document_id"
            "  WHERE d.slug = ?)", (slug, slug, slug)).fetchone()
    return tuple(rows)


def dump(db_path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        return list(connection.iterdump())


@pytest.mark.parametrize("point", IMPORT_KILL_POINTS)
def test_kill_9_inside_the_import_transaction_leaves_nothing(tmp_path, point):
    db_path = tmp_path / "library.db"
    open_library(f"sqlite:///{db_path}").dispose()
    command = [sys.executable, "-m", "bitext", "--db", str(db_path), "add",
               str(BIG / "original.txt"), str(BIG / "translation.txt"),
               "--meta", str(BIG / "meta.json")]
    marker = tmp_path / "paused"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=faults.environment((point, marker)))
    try:
        # the fault happens where we mean it to: inside the open write transaction
        faults.wait_for_pause(marker, point, lambda: process.poll() is None)
        assert faults.write_lock_is_held(db_path)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert integrity(db_path) == "ok"
    assert document_state(db_path, "prc-constitution-2018") == (0, 0, 0)
    # without the pause the same import commits whole
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600,
                           env=faults.environment())
    assert rerun.returncode == 0, rerun.stderr
    assert document_state(db_path, "prc-constitution-2018") == (1, 2, 1)
    assert integrity(db_path) == "ok"


def test_full_disk_gives_a_clear_error_and_keeps_the_previous_state(tmp_path):
    db_path = tmp_path / "library.db"
    url = f"sqlite:///{db_path}"
    database = open_library(url)
    add_document(database, {"slug": "small", "title_original": "小", "title_translation": "Small",
                            "language_original": "zh-Hans", "language_translation": "en",
                            "status": "published"}, "第一条。\n第二条。", "Article 1.\nArticle 2.")
    editor = add_user(database, "ed", "a long passphrase", "editor")
    paragraph = get_document(database, "small").rows[0].translation[0].id
    with sqlite3.connect(db_path) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    database.dispose()
    before = dump(db_path)

    full = open_library(url, Settings(sqlite_max_page_count=pages))
    with pytest.raises(StorageFull, match="storage is full"):
        add_document_files(full, BIG / "original.txt", BIG / "translation.txt",
                           BIG / "meta.json")
    with pytest.raises(StorageFull):
        edit_paragraph(full, editor, "small", "translation", paragraph, 1,
                       "Article 1. " + "Amended text. " * 3000, "a long correction")
    with pytest.raises(StorageFull):
        for _ in range(5):
            submit_report(full, "small", paragraph, "translation", "x" * 2000, "y" * 5000,
                          None, "127.0.0.1")
    full.dispose()
    assert integrity(db_path) == "ok"
    assert dump(db_path) == before

    roomy = open_library(url)  # space freed: the same import now succeeds
    meta = json.loads((BIG / "meta.json").read_text(encoding="utf-8"))
    add_document_files(roomy, BIG / "original.txt", BIG / "translation.txt", BIG / "meta.json")
    assert get_document(roomy, meta["slug"]).rows
    roomy.dispose()
