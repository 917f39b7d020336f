"""``bitext doctor``: passes on a sound library and names what is wrong otherwise."""

import sqlite3
import subprocess
import sys

from bitext.services.doctor import check_library
from bitext.services.library import add_document, open_library

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en"}


def test_sound_library_passes_and_a_damaged_index_is_found(tmp_path):
    db_path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    add_document(database, META, "人人生而自由。\n人人平等。", "All are free.\nAll are equal.")
    findings = check_library(database)
    assert all(f.ok for f in findings), findings
    assert {f.check for f in findings} >= {"integrity_check", "pragmas", "search index",
                                           "index coverage", "alignments"}
    database.dispose()
    run = [sys.executable, "-m", "bitext", "--db", str(db_path), "doctor", "--strict"]
    assert subprocess.run(run, capture_output=True, timeout=120).returncode == 0

    with sqlite3.connect(db_path) as connection:
        connection.execute("DELETE FROM segment_tokens WHERE rowid = (SELECT min(rowid) "
                           "FROM segment_tokens)")
    result = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "FAIL  index coverage" in result.stdout
