"""``--db`` works before the command name and after it; given twice, the later one wins."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from samples import UDHR_EN, UDHR_METADATA, UDHR_ZH
from typer.testing import CliRunner

from bitext.cli import app
from bitext.services.accounts import account_for, log_in
from bitext.services.library import add_document, open_library
from bitext.services.reading import EVERY_STATUS, get_document

SLUG = UDHR_METADATA["slug"]


@pytest.fixture
def default_dir(tmp_path, monkeypatch):
    """Where a command without --db would keep its library: not where the tests look."""
    folder = tmp_path / "default"
    monkeypatch.setenv("BITEXT_DATA_DIR", str(folder))
    monkeypatch.delenv("BITEXT_DATABASE_URL", raising=False)
    return folder


def bitext(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def library_at(path):
    return open_library(f"sqlite:///{path}")


def test_library_commands_take_db_after_their_name(tmp_path, default_dir):
    db = str(tmp_path / "library.db")
    (tmp_path / "zh.txt").write_text(UDHR_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(UDHR_EN, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps(UDHR_METADATA), encoding="utf-8")

    added = bitext("add", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"),
                   "--meta", str(tmp_path / "meta.json"), "--db", db)
    assert f"added {SLUG}" in added
    # The sample's English has no article headings, so the check finds 第二十六条's 26 missing.
    assert f"{SLUG}: published" in bitext("publish", SLUG, "--despite-findings",
                                          "--note", "article headings left out", "--db", db)
    assert "matching sentences" in bitext("search", "education", "--db", db)
    assert json.loads(bitext("export", SLUG, "--format", "jsonl", "--db", db).splitlines()[0])
    assert "Universal Declaration" in bitext("cite", SLUG, "--db", db)
    assert "added editor alice" in bitext("user", "add", "alice", "--db", db,
                                          input="correct horse battery\n")
    assert "FAIL" not in bitext("doctor", "--strict", "--db", db)

    database = library_at(db)
    try:
        assert get_document(database, SLUG).meta.status == "published"
        token = log_in(database, "alice", "correct horse battery", "127.0.0.1")
        assert account_for(database, token).name == "alice"
    finally:
        database.dispose()
    assert not default_dir.exists()


def test_db_before_the_command_still_works_and_is_not_remembered(tmp_path, default_dir):
    db = tmp_path / "library.db"
    database = library_at(db)
    add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
    database.dispose()

    assert f"{SLUG}: draft" in bitext("--db", str(db), "publish", SLUG, "--draft")
    bitext("doctor")  # the next command, without --db, opens the default library
    assert (default_dir / "library.db").is_file()


def test_db_after_the_command_wins_over_db_before_it(tmp_path, default_dir):
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    database = library_at(after)
    add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
    database.dispose()

    assert f"{SLUG}: draft" in bitext("--db", str(before), "publish", SLUG, "--draft",
                                      "--db", str(after))
    assert not before.exists()
    database = library_at(after)
    assert get_document(database, SLUG, statuses=EVERY_STATUS).meta.status == "draft"
    database.dispose()


def test_serve_takes_db_after_its_name(tmp_path):
    db = tmp_path / "library.db"
    database = library_at(db)
    add_document(database, {**UDHR_METADATA, "status": "published"}, UDHR_ZH, UDHR_EN)
    database.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "bitext", "serve", "--db", str(db), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        page = _page_when_up(f"http://127.0.0.1:{port}/", server, timeout_s=60)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert UDHR_METADATA["title_translation"] in page, log.read_text()


def _page_when_up(url: str, server: subprocess.Popen, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"bitext serve did not answer (exit status {server.poll()})")
