"""A real ``bitext serve`` on a free loopback port over a real database file, and Chromium.

The server log is printed at teardown, so pytest shows it whenever a test failed.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from samples import UDHR_EN, UDHR_METADATA, UDHR_ZH  # noqa: F401  (re-exported to tests)

from bitext.services.library import add_document, open_library

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SERVER_START_TIMEOUT_S = 30
# ``bitext`` itself, whichever environment runs the tests (a console script may not be on PATH).
RUN_CLI = "import sys; sys.argv[0] = 'bitext'; from bitext.cli import main; main()"
# Editors' password and the secret key of servers that sign editors in (sessions, CSRF).
PASSWORD = "correct horse battery"
SECRET_KEY = "browser-test-secret-0123456789-abcdefghij"

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"server did not answer within {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()}")


@contextmanager
def served(db_path: Path, folder: Path, **env: str) -> Iterator[str]:
    """``bitext --db FILE serve`` in a subprocess on a free loopback port; yields its URL.
    Always stopped, and its log printed (pytest shows it when a test failed)."""
    with served_process(db_path, folder, **env) as (url, _):
        yield url


@contextmanager
def served_for_editors(db_path: Path, folder: Path) -> Iterator[str]:
    """``served`` with a data folder and a secret key, so editors can sign in."""
    with served(db_path, folder, BITEXT_DATA_DIR=str(folder), BITEXT_SECRET_KEY=SECRET_KEY) as url:
        yield url


def record_errors(page, errors: list[str]) -> None:
    """Append ``page``'s console errors and uncaught exceptions to ``errors``."""
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))


def log_in(page, url: str, name: str, next_path: str = "") -> None:
    """Sign ``name`` in (password ``PASSWORD``) on ``page``; the site shows them signed in,
    on ``next_path`` when one is given."""
    page.goto(f"{url}/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#login-name", name)
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if next_path:
        assert page.url.endswith(next_path)
    assert page.locator(".site-nav__user").inner_text() == name


@contextmanager
def served_process(
    db_path: Path, folder: Path, **env: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``served``, yielding the server process too (to watch its memory)."""
    port = _free_port()
    log_path = folder / "server.log"
    command = [
        sys.executable, "-c", RUN_CLI,
        "--db", str(db_path), "serve", "--host", "127.0.0.1", "--port", str(port),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process, log_path)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(f"--- server log ({' '.join(command[3:])}) ---\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The server over a library holding the UDHR sample."""
    folder = tmp_path_factory.mktemp("server")
    db_path = folder / "library.db"
    database = open_library(f"sqlite:///{db_path}")
    try:
        add_document(database, UDHR_METADATA, UDHR_ZH, UDHR_EN)
    finally:
        database.dispose()
    with served(db_path, folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught exceptions of ``page`` (CSP violations show up here)."""
    return []


@pytest.fixture
def page(browser, server_url, console_errors):
    """A fresh desktop-sized page allowed to use the clipboard."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    record_errors(page, console_errors)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder
