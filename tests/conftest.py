"""Shared fixtures: a real SQLite library file per test, and the shared data folder."""

from pathlib import Path

import pytest

from bitext.services.library import open_library

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def library(tmp_path):
    """A migrated library on a fresh SQLite file; closed after the test."""
    database = open_library(f"sqlite:///{tmp_path / 'library.db'}")
    yield database
    database.dispose()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (only in the development workspace)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _signing_key(monkeypatch):
    """Tests never create a signing-key file in the user's data directory."""
    monkeypatch.setenv("BITEXT_SECRET_KEY", "test-signing-key-not-secret-0123456789abcdef")
