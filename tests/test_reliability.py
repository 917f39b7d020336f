"""Nothing lost: crashes in the middle of a write and a full disk leave the library whole.

Real processes on a real SQLite file: an import is killed with SIGKILL at several points;
afterwards the file passes ``PRAGMA integrity_check`` and holds the whole document or none
of it. A size cap (``max_page_count``) stands in for a full disk.
"""

import json
import signal
import sqlite3
import subprocess
import sys
import time

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


@pytest.mark.parametrize("delay_s", [0.5, 2.0, 4.0, 8.0])
def test_kill_9_during_import_leaves_all_or_nothing(tmp_path, delay_s):
    db_path = tmp_path / "library.db"
    open_library(f"sqlite:///{db_path}").dispose()
    command = [sys.executable, "-m", "bitext", "--db", str(db_path), "add",
               str(BIG / "original.txt"), str(BIG / "translation.txt"),
               "--meta", str(BIG / "meta.json")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay_s)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert integrity(db_path) == "ok"
    assert document_state(db_path, "prc-constitution-2018") in {(0, 0, 0), (1, 2, 1)}
    # the import can simply be run again (or is already complete)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0 or "already exists" in rerun.stderr
    assert document_state(db_path, "prc-constitution-2018") == (1, 2, 1)


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
