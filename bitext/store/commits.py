"""Whether anything was committed to a SQLite library since last asked, without reading a table.

SQLite's ``PRAGMA data_version`` changes, on the connection that asks, whenever another
connection (of this process or of any other) has committed. A connection kept only for
asking answers in microseconds, so a caller may keep what it read from the library until
the counter moves. PostgreSQL and in-memory SQLite have no such counter here: ``value()``
is None, and the caller reads every time.
"""

import sqlite3
import threading
import weakref

from sqlalchemy import event

from bitext.store.database import Database


class CommitCounter:
    """The library's commit counter, on a connection of its own: opened when first asked,
    outside the engine's pool (it is never handed to anyone else), closed when the
    library's engines are disposed or the counter is dropped."""

    def __init__(self, database: Database):
        on_file = database.is_sqlite and database.url.database not in (None, "", ":memory:")
        self._engine = database.read_engine if on_file else None
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if self._engine is not None:
            event.listen(self._engine, "engine_disposed", lambda _engine: self.close())

    def value(self) -> int | None:
        """The counter now; None when there is none (or the library could not be asked:
        the caller's own read then reports the problem)."""
        if self._engine is None:
            return None
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self._open()
                # Never writes and never holds a transaction: every commit is another's.
                return self._connection.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                self._drop()
                return None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _open(self) -> sqlite3.Connection:
        assert self._engine is not None  # only asked when there is a file
        # The file and options (``?mode=…&uri=true``) as the engine's own connections use.
        (filename, *_), options = self._engine.dialect.create_connect_args(self._engine.url)
        connection = sqlite3.connect(filename, isolation_level=None, **options)
        weakref.finalize(self, connection.close)
        return connection

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
