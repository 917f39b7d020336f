"""What ``bitext doctor`` reads to judge a library: SQLite's own checks, the search index's
check and size, and gaps in revision numbers."""

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bitext.errors import BitextError
from bitext.store.database import Database
from bitext.store.schema import Revision
from bitext.store.search_index import backend_for


def sqlite_integrity(database: Database) -> tuple[str, int]:
    """SQLite's ``integrity_check`` answer ("ok" when sound) and the number of broken
    foreign-key references."""
    with database.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return str(integrity), len(foreign)


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
