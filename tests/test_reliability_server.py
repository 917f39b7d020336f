"""Nothing lost, against a real server process on 127.0.0.1 and a real SQLite file.

* ``kill -9`` of the server while a correction is being saved: after a restart the file
  is sound (``bitext doctor --strict``) and the correction is there whole or not at all,
  and there for sure if the server had acknowledged it.
* 20 clients filing reports and corrections at once for 60 s: every acknowledged report
  and revision is in the database afterwards, none twice.
"""

import functools
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from html import unescape

import httpx2 as httpx
import pytest

from bitext.services.accounts import add_user
from bitext.services.library import add_document, open_library

PASSWORD = "a long passphrase"
LOAD_SECONDS = 60
CLIENTS = 20
EDITORS = 4
PARAGRAPHS = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``bitext serve`` as a child process; restartable, always stopped."""

    def __init__(self, db_path, log_path):
        self.db_path, self.log_path = db_path, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        env = {**os.environ, "BITEXT_REPORTS_PER_ADDRESS_PER_HOUR": "1000000"}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bitext", "--db", str(self.db_path), "serve",
                 "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"server did not start:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    db_path = tmp_path / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    add_document(database, {
        "slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published",
    }, "\n".join(f"第{i}条。人人平等。" for i in range(1, PARAGRAPHS + 1)),
        "\n".join(f"Article {i}. All are equal." for i in range(1, PARAGRAPHS + 1)))
    for k in range(EDITORS):
        add_user(database, f"editor{k}", PASSWORD, "editor")
    database.dispose()
    running = Server(db_path, tmp_path / "server.log")
    running.start()
    yield running
    running.kill()


def csrf_of(html: str) -> str:
    return unescape(re.search(r'name="csrf" value="([^"]+)"', html).group(1))


def logged_in(url: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": name, "password": PASSWORD, "next": "/",
                                           "csrf": token})
    assert response.status_code == 303, response.text
    return client


def paragraph_id(client: httpx.Client, row: int) -> int:
    return client.get("/api/documents/doc").json()["translation"][row]["id"]


def save_correction(client: httpx.Client, row: int, text: str) -> int:
    """One editor's whole save, as a browser does it; returns the POST's status."""
    pid = paragraph_id(client, row)
    form = client.get(f"/documents/doc/paragraphs/{pid}/edit", params={"side": "translation"})
    base = re.search(r'name="base" value="(\d+)"', form.text).group(1)
    response = client.post(f"/documents/doc/paragraphs/{pid}/edit?side=translation",
                           data={"text": text, "note": "load test", "base": base,
                                 "csrf": csrf_of(form.text)})
    return response.status_code


def file_report(client: httpx.Client, pid: int, suggestion: str) -> int:
    page = client.get("/documents/doc")
    response = client.post("/documents/doc/reports", data={
        "paragraph": f"translation:{pid}", "quoted": "", "suggestion": suggestion,
        "email": "", "csrf": csrf_of(page.text)})
    return response.status_code


def query(db_path, sql, *args):
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql, args).fetchall()


def assert_doctor_passes(db_path):
    doctor = subprocess.run([sys.executable, "-m", "bitext", "--db", str(db_path), "doctor",
                             "--strict"], capture_output=True, text=True, timeout=120)
    assert doctor.returncode == 0, doctor.stdout


def test_kill_9_during_a_correction_keeps_all_or_nothing(server):
    rng = random.Random(7)
    for attempt in range(6):
        client = logged_in(server.url, "editor0")
        text = f"Article 1. Corrected in attempt {attempt}."
        outcome: dict = {}
        saving = threading.Thread(target=_record_status, args=(
            outcome, functools.partial(save_correction, client, 0, text)))
        saving.start()
        time.sleep(rng.uniform(0.0, 0.25))
        server.kill()
        saving.join(timeout=60)
        client.close()
        assert_doctor_passes(server.db_path)
        stored = query(server.db_path, "SELECT count(*) FROM segments WHERE kind = 'paragraph' "
                       "AND text = ?", text)[0][0]
        if outcome.get("status") == 303:
            assert stored == 1, "an acknowledged correction was lost"
        assert stored in (0, 1)
        server.start()


def _record_status(outcome: dict, call) -> None:
    outcome["status"] = _status_or_error(call)


def _status_or_error(call) -> int | str:
    try:
        return call()
    except httpx.HTTPError as error:
        return type(error).__name__


def test_twenty_clients_for_a_minute_lose_and_duplicate_nothing(server):
    # editors correct rows 0..EDITORS-1; readers report on the rows nobody edits
    with httpx.Client(base_url=server.url) as client:
        pids = [paragraph_id(client, row) for row in range(EDITORS, PARAGRAPHS)]
    acknowledged_reports: list[str] = []
    acknowledged_edits: list[str] = []
    failures: list[str] = []
    deadline = time.monotonic() + LOAD_SECONDS

    def reporter(k: int) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            report_until(client, k)

    def report_until(client: httpx.Client, k: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            suggestion = f"report {k}-{n}"
            status = _status_or_error(
                functools.partial(file_report, client, pids[n % len(pids)], suggestion))
            if status == 303:
                acknowledged_reports.append(suggestion)
            elif status not in (429, 503):
                failures.append(f"report: {status}")
            n += 1

    def editor(k: int) -> None:
        client = logged_in(server.url, f"editor{k}")
        try:
            edit_until(client, k)
        finally:
            client.close()

    def edit_until(client: httpx.Client, k: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            text = f"Article {k + 1}. Edited by editor {k}, save {n}."
            status = _status_or_error(functools.partial(save_correction, client, k, text))
            if status == 303:
                acknowledged_edits.append(text)
            elif status not in (409, 503):
                failures.append(f"edit: {status}")
            n += 1

    threads = [threading.Thread(target=editor, args=(k,)) for k in range(EDITORS)]
    threads += [threading.Thread(target=reporter, args=(k,)) for k in range(CLIENTS - EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 120)
    server.kill()

    assert not failures, failures[:5]
    assert len(acknowledged_reports) > 100 and len(acknowledged_edits) > 10
    reports = [row[0] for row in query(server.db_path, "SELECT suggestion FROM reports")]
    assert sorted(reports) == sorted(acknowledged_reports)  # all there, none twice
    texts = {row[0] for row in query(
        server.db_path, "SELECT text FROM segments WHERE kind = 'paragraph'")}
    assert set(acknowledged_edits) <= texts
    revisions = query(server.db_path, "SELECT count(*) FROM revisions WHERE side = ?",
                      "translation")[0][0]
    assert revisions == 1 + len(acknowledged_edits)
    assert_doctor_passes(server.db_path)
