"""Shared fixtures: a real SQLite library file per test, an isolated PostgreSQL schema per
test, and the shared data folder."""

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bitext.services.library import open_library

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Tests check correctness, not time: a busy machine must not fail an example for being slow.
settings.register_profile("bitext", deadline=None)
settings.load_profile("bitext")


@pytest.fixture
def library(tmp_path):
    """A migrated library on a fresh SQLite file; closed after the test."""
    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    yield database
    database.dispose()


@pytest.fixture
def postgres_url():
    """A URL whose connections see only a new, empty schema, dropped after the test.

    Each test gets its own schema (first on the search path), so that tests running at the
    same time on one server never see or drop each other's tables.
    """
    server_url = os.environ.get("BITEXT_TEST_POSTGRES_URL")
    if not server_url:
        pytest.skip("PostgreSQL tests need BITEXT_TEST_POSTGRES_URL (see .ci/postgres.sh)")
    schema = f"test_{uuid.uuid4().hex}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_library(request, tmp_path):
    """A migrated library on SQLite, then on PostgreSQL (skipped without a server), for
    tests that check both dialects give the same answers."""
    url = (request.getfixturevalue("postgres_url") if request.param == "postgres"
           else f"sqlite:///{tmp_path / 'library.db'}")
    database = open_library(url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (only in the development workspace)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch):
    """Tests never create a signing-key file in the user's data directory."""
    monkeypatch.setenv("BITEXT_SECRET_KEY", "test-signing-key-not-secret-0123456789abcdef")


@pytest.fixture(autouse=True)
def _test_client_host(monkeypatch):
    """In-process apps also answer the test client's host name, "testserver"."""
    monkeypatch.setenv("BITEXT_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,[::1]")


def pytest_terminal_summary(terminalreporter):
    """Print what tests recorded with ``record_property`` (load figures), so every CI log
    shows them without -s or -rA."""
    figures = [
        f"{report.nodeid}: {name} = {value}"
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call"
        for name, value in report.user_properties
    ]
    if figures:
        terminalreporter.section("recorded figures")
        for line in figures:
            terminalreporter.write_line(line)
