"""Web imports against a real server: one killed mid-run (``kill -9`` of the server inside
the import's write transaction) leaves no document, and after a restart its job is shown
as failed; with ``--workers 2`` an import's pages are answered by either process."""

import signal
import socket
import sqlite3
import subprocess
import sys
import time
from html import unescape

import faults
import httpx2 as httpx
import pytest
from import_documents import make_docx, make_html

from bitext.services.accounts import add_user
from bitext.services.library import open_library
from tests.test_web_editorial import csrf_of, log_in

PASSWORD = "a long passphrase"
KILL_POINT = "after-segments-before-alignment"
HEARTBEAT_TIMEOUT_S = 2
START_TIMEOUT_S = 60
ZH = ["第一条 人人生而自由，在尊严和权利上一律平等。",
      "第二条 人人有资格享有本宣言所载的一切权利和自由。"]
EN = ["Article 1 All human beings are born free and equal in dignity and rights.",
      "Article 2 Everyone is entitled to all the rights and freedoms set forth here."]
FIELDS = {"slug": "udhr", "title_original": "世界人权宣言", "title_translation": "UDHR",
          "language_original": "zh-Hans", "language_translation": "en", "format": "auto"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(db_path, log_path, port: int, pause=None, workers: int = 1) -> subprocess.Popen:
    env = {**faults.environment(pause),
           "BITEXT_IMPORT_JOB_HEARTBEAT_TIMEOUT_S": str(HEARTBEAT_TIMEOUT_S)}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bitext", "--db", str(db_path), "serve", "--host",
             "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"server did not start:\n{log_path.read_text()}")


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM, so uvicorn's supervisor stops its worker processes too."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _kill(process)


def _upload_and_confirm(client: httpx.Client) -> str:
    """Upload, preview and confirm as a browser does; the job's page."""
    log_in(client, "editor1", PASSWORD)
    response = client.post(
        "/editor/import", data={**FIELDS, "csrf": csrf_of(client.get("/editor/import").text)},
        files={"original": ("zh.docx", make_docx(ZH), "application/octet-stream"),
               "translation": ("en.html", make_html(EN).encode(), "text/html")})
    assert response.status_code == 303, response.text
    preview = client.get(response.headers["location"])
    confirm = client.post(response.headers["location"].replace("/preview", "/confirm"),
                          data={"csrf": csrf_of(preview.text)})
    assert confirm.status_code == 303
    return confirm.headers["location"]


def _rows(db_path, sql: str) -> list:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{path}")
    add_user(database, "editor1", PASSWORD, "editor")
    database.dispose()
    return path


def test_import_killed_inside_its_write_leaves_no_document_and_shows_failed(db_path,
                                                                            tmp_path):
    marker, log_path, port = tmp_path / "paused", tmp_path / "server.log", _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start(db_path, log_path, port, pause=(KILL_POINT, marker))
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            job_path = _upload_and_confirm(client)
        faults.wait_for_pause(marker, KILL_POINT, lambda: server.poll() is None)
        assert faults.write_lock_is_held(db_path)  # the kill lands inside the import's write
        _kill(server)
    finally:
        _kill(server)
    # the fault happened mid-run: the job was running, and nothing of the document is kept
    assert _rows(db_path, "SELECT status FROM import_jobs") == [("running",)]
    assert _rows(db_path, "SELECT count(*) FROM documents") == [(0,)]
    assert _rows(db_path, "SELECT count(*) FROM segments") == [(0,)]
    time.sleep(HEARTBEAT_TIMEOUT_S + 0.5)  # its heartbeat has stopped for good
    server = _start(db_path, log_path, port)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            log_in(client, "editor1", PASSWORD)
            page = client.get(job_path)
            assert page.status_code == 200
            assert "The import failed: interrupted: the server stopped while this import " \
                "ran; nothing of it was written" in unescape(page.text)
            assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
            assert client.get("/documents/udhr").status_code == 404
    finally:
        _kill(server)
    assert _rows(db_path, "SELECT status FROM import_jobs") == [("failed",)]
    doctor = subprocess.run([sys.executable, "-m", "bitext", "--db", str(db_path), "doctor",
                             "--strict"], capture_output=True, text=True, timeout=120)
    assert doctor.returncode == 0, doctor.stdout


def test_import_through_two_server_processes(db_path, tmp_path):
    """Each request may reach either worker: the preview, the job and its progress are in
    the database, so the import goes through whichever process answers."""
    port = _free_port()
    server = _start(db_path, tmp_path / "server.log", port, workers=2)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            job_path = _upload_and_confirm(client)
            deadline = time.monotonic() + 300
            while (page := client.get(job_path)).status_code == 200:
                assert "The import failed" not in page.text
                assert time.monotonic() < deadline, "the import did not finish"
                time.sleep(0.3)
            assert page.status_code == 303
            report = client.get(page.headers["location"])
            assert "alignment:" in report.text and "paragraph beads" in report.text
    finally:
        _stop(server)
    assert _rows(db_path, "SELECT status FROM import_jobs") == [("done",)]
    assert _rows(db_path, "SELECT slug FROM documents") == [("udhr",)]
