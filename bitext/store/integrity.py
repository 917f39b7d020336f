"""What ``bitext doctor`` reads to judge a library: SQLite's own checks, the search index's
check and size, and gaps in revision numbers."""

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bitext.errors import BitextError
from bitext.store.database import SQLITE_PRAGMAS, Database
from bitext.store.schema import Revision
from bitext.store.search_index import backend_for


@dataclass(frozen=True)
class SqliteHealth:
    integrity: str  # PRAGMA integrity_check's answer: "ok" when sound
    broken_references: int  # rows PRAGMA foreign_key_check lists
    pragmas: dict[str, object]  # as a connection has them
    pragmas_as_required: bool  # journal mode, synchronous and foreign keys as we set them


def sqlite_health(database: Database) -> SqliteHealth | None:
    """SQLite's own checks of the file; None on other databases, which have none."""
    if not database.is_sqlite:
        return None
    with database.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    pragmas = database.pragmas()
    return SqliteHealth(str(integrity), len(foreign), pragmas, all(
        str(pragmas[name]).lower() == str(value) for name, value in SQLITE_PRAGMAS.items()))


def search_index_problem(session: Session) -> str | None:
    """The first line of what the search backend's own check found wrong, or None."""
    try:
        backend_for(session).check(session)
    except (BitextError, DBAPIError) as error:
        return str(error).splitlines()[0]
    return None


def indexed_sentence_count(session: Session) -> int:
    return session.scalar(text("SELECT count(*) FROM segment_tokens")) or 0


def sides_with_revision_gaps(session: Session) -> int:
    """(document, side) pairs whose revision numbers are not 1 to their count."""
    rows = session.execute(
        select(func.count(), func.max(Revision.number))
        .group_by(Revision.document_id, Revision.side)
    ).all()
    return sum(1 for count, highest in rows if count != highest)
