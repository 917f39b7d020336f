"""Counting the SQL statements a call sends, for tests that a read does not grow with the
number of documents or versions (an N+1 shows as a count that grows with N)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bitext.services.library import Library


class Counted:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def counting(database: Library) -> Iterator[Counted]:
    """Every statement sent on the library's engines (reads and writes) inside the block."""
    counted = Counted()

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        counted.statements.append(statement)

    engines = {id(e): e for e in (database.engine, database.read_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield counted
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
