"""``bitext doctor``: the one checker run after every fault test and by operators.

Each check says what it looked at; any failure makes ``--strict`` exit non-zero.
"""

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bitext.core.sides import SIDES
from bitext.errors import BitextError
from bitext.store import documents as store
from bitext.store.database import SQLITE_PRAGMAS, Database
from bitext.store.schema import Document, Revision
from bitext.store.search_index import backend_for


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


def check_library(database: Database) -> list[Finding]:
    findings = []
    if database.is_sqlite:
        findings += _sqlite_checks(database)
    with database.reader() as session:
        try:
            backend_for(session).check(session)
            findings.append(Finding("search index", True, "consistent"))
        except (BitextError, DBAPIError) as error:
            findings.append(Finding("search index", False, str(error).splitlines()[0]))
        findings.append(_index_coverage(session))
        findings.append(_revisions_contiguous(session))
        findings.append(_alignments_current(session))
    return findings


def _sqlite_checks(database: Database) -> list[Finding]:
    with database.engine.connect() as connection:
        integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    pragmas = database.pragmas()
    wrong = {k: v for k, v in SQLITE_PRAGMAS.items() if str(pragmas[k]).lower() != str(v)}
    return [
        Finding("integrity_check", integrity == "ok", str(integrity)),
        Finding("foreign keys", not foreign, f"{len(foreign)} broken references"),
        Finding("pragmas", not wrong, ", ".join(f"{k}={v}" for k, v in pragmas.items())),
    ]


def _index_coverage(session) -> Finding:
    """The index holds exactly the sentences of each side's latest revision."""
    expected = 0
    for document in session.scalars(select(Document)):
        for side in SIDES:
            revision = store.latest_revision(session, document.id, side)
            if revision is None:
                continue
            paragraphs = [s.id for s in store.revision_paragraphs(session, revision.id)]
            expected += sum(len(v) for v in store.sentences_of(session, paragraphs).values())
    indexed = session.scalar(text("SELECT count(*) FROM segment_tokens"))
    return Finding("index coverage", indexed == expected,
                   f"{indexed} indexed sentences, {expected} in current texts")


def _revisions_contiguous(session) -> Finding:
    rows = session.execute(
        select(Revision.document_id, Revision.side, func.count(), func.max(Revision.number))
        .group_by(Revision.document_id, Revision.side)
    ).all()
    gaps = [r for r in rows if r[2] != r[3]]
    return Finding("revision numbers", not gaps, f"{len(gaps)} sides with gaps")


def _alignments_current(session) -> Finding:
    stale = []
    for document in session.scalars(select(Document)):
        alignment = store.latest_alignment(session, document.id)
        original, translation = (store.latest_revision(session, document.id, s)
                                 for s in SIDES)
        if alignment is None or original is None or translation is None or (
            alignment.original_revision_id, alignment.translation_revision_id
        ) != (original.id, translation.id):
            stale.append(document.slug)
    return Finding("alignments", not stale,
                   "every document aligned on its latest texts" if not stale
                   else f"not aligned on the latest texts: {', '.join(stale[:5])}")
