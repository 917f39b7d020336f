"""Engines and transactions.

SQLite: WAL, synchronous=FULL, foreign keys and busy timeout are set *and checked* on every
connection; the driver's implicit transactions are turned off and every transaction starts
with ``BEGIN IMMEDIATE``, so a write transaction really is one and never deadlocks on
upgrade (see RELIABILITY.md). PostgreSQL: psycopg 3 with pre-ping.
"""

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bitext.errors import BitextError

__all__ = ["SQLITE_PRAGMAS", "Database", "Session", "StorageBusy", "StorageFull",
           "pause_in_write"]
# ``Session`` is named here so services can pass a transaction to store functions (and
# annotate it) without importing SQLAlchemy themselves.

SQLITE_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
PAUSE_IN_WRITE_VARIABLE = "BITEXT_TEST_PAUSE_IN_WRITE"
PAUSE_IN_WRITE_S = 600


class StorageFull(BitextError):
    """The disk (or the configured size limit) is full; nothing was written."""

    status = 507


class StorageBusy(BitextError):
    """Another writer held the lock for too long, or the server is unreachable."""

    status = 503


def _storage_error(
    driver_error: BaseException | None, invalidated: bool = False
) -> BitextError | None:
    """Map the storage failures a user can be told about; others stay server errors."""
    message = str(driver_error).lower()
    if "database or disk is full" in message or "no space left" in message or (
        type(driver_error).__name__ == "DiskFull"
    ):
        return StorageFull("storage is full: the change was not saved")
    if "database is locked" in message or invalidated:
        return StorageBusy("the library is busy: the change was not saved; try again")
    return None


def pause_in_write(session: Session, point: str) -> None:
    """Test-only fault injection: lets a kill -9 test kill a writer at a known moment.

    With ``BITEXT_TEST_PAUSE_IN_WRITE=<point>:<marker path>`` in the environment, the write
    that reaches ``point`` flushes its rows so far, creates the marker file and sleeps
    (still inside its transaction) until the test kills the process. Unset, as it always is
    outside the fault tests, this does nothing.
    """
    wanted, _, marker = os.environ.get(PAUSE_IN_WRITE_VARIABLE, "").partition(":")
    if wanted != point:
        return
    session.flush()
    Path(marker).write_text(point, encoding="utf-8")
    time.sleep(PAUSE_IN_WRITE_S)


class Database:
    """One engine and a session factory; ``transaction()`` is the only way to write."""

    def __init__(
        self, url: str, *, busy_timeout_ms: int = 5000, max_page_count: int | None = None
    ):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url)
            self.read_engine = create_engine(self.url)
            for engine, begin in ((self.engine, "BEGIN IMMEDIATE"), (self.read_engine, "BEGIN")):
                _configure_sqlite(engine, busy_timeout_ms, begin=begin,
                                  max_page_count=max_page_count)
        else:
            self.engine = self.read_engine = create_engine(self.url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits as one transaction, or rolls back on any error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as error:
            mapped = _storage_error(error.orig, error.connection_invalidated)
            if mapped is None:
                raise
            raise mapped from error
        except sqlite3.Error as error:  # raised by the driver itself: bulk index writes
            mapped = _storage_error(error)
            if mapped is None:
                raise
            raise mapped from error

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads (one snapshot); it never takes the write lock."""
        with self._read_sessions() as session, session.begin():
            yield session

    def pragmas(self) -> dict[str, object]:
        with self.engine.connect() as connection:
            return {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in (*SQLITE_PRAGMAS, "busy_timeout")
            }

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def _configure_sqlite(
    engine: Engine, busy_timeout_ms: int, *, begin: str, max_page_count: int | None
) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if max_page_count:
            cursor.execute(f"PRAGMA max_page_count = {int(max_page_count)}")
        for name, expected in SQLITE_PRAGMAS.items():
            actual = cursor.execute(f"PRAGMA {name}").fetchone()[0]
            if str(actual).lower() != str(expected):
                raise BitextError(f"SQLite refused PRAGMA {name}={expected} (got {actual})")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql(begin)
