"""``bitext doctor``: the one checker run after every fault test and by operators.

Each check says what it looked at; any failure makes ``--strict`` exit non-zero.
"""

from dataclasses import dataclass

from bitext.core.sides import SIDES
from bitext.store import documents as store
from bitext.store import integrity
from bitext.store.catalogue import every_document
from bitext.store.database import Database, Session


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


def check_library(database: Database) -> list[Finding]:
    findings = _sqlite_checks(integrity.sqlite_health(database))
    with database.reader() as session:
        problem = integrity.search_index_problem(session)
        findings.append(Finding("search index", problem is None, problem or "consistent"))
        findings.append(_index_coverage(session))
        findings.append(_revisions_contiguous(session))
        findings.append(_alignments_current(session))
    return findings


def _sqlite_checks(health: integrity.SqliteHealth | None) -> list[Finding]:
    if health is None:
        return []
    return [
        Finding("integrity_check", health.integrity == "ok", health.integrity),
        Finding("foreign keys", not health.broken_references,
                f"{health.broken_references} broken references"),
        Finding("pragmas", health.pragmas_as_required,
                ", ".join(f"{k}={v}" for k, v in health.pragmas.items())),
    ]


def _index_coverage(session: Session) -> Finding:
    """The index holds exactly the sentences of each side's latest revision."""
    expected = 0
    for document in every_document(session):
        for side in SIDES:
            revision = store.latest_revision(session, document.id, side)
            if revision is None:
                continue
            paragraphs = [s.id for s in store.revision_paragraphs(session, revision.id)]
            expected += sum(len(v) for v in store.sentences_of(session, paragraphs).values())
    indexed = integrity.indexed_sentence_count(session)
    return Finding("index coverage", indexed == expected,
                   f"{indexed} indexed sentences, {expected} in current texts")


def _revisions_contiguous(session: Session) -> Finding:
    gaps = integrity.sides_with_revision_gaps(session)
    return Finding("revision numbers", not gaps, f"{gaps} sides with gaps")


def _alignments_current(session: Session) -> Finding:
    stale = []
    for document in every_document(session):
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
