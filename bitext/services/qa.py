"""Translation checks of a document (``bitext qa``): the checks of :mod:`bitext.core.qa`
over the document's latest alignment and the current glossary, minus the findings an
editor dismissed (each dismissal is kept with its reason and written to the audit log).

The checks run in the transaction of every write that changes a document's rows (import,
text correction, alignment edit) and their findings are stored with that alignment, so
the editor sees the state of the current revision and what each change fixed or broke.
"""

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass

from bitext.core.glossary.entry import parse_entry
from bitext.core.qa.checks import check_rows
from bitext.core.qa.findings import Finding, Row
from bitext.errors import InputError
from bitext.store import audit, qa_checks
from bitext.store import glossary as store
from bitext.store.database import Database, Session
from bitext.store.documents import document_by_slug, latest_alignment

REASON_MAX_CHARS = 1000
REPORTS_KEPT = 64  # documents whose last report is kept in memory
TRIGGERS = ("import", "correction", "alignment", "demand")


@dataclass(frozen=True)
class QaReport:
    slug: str
    rows: int  # aligned rows checked
    findings: list[Finding]  # open ones, in row order
    dismissed: int  # findings an editor dismissed (not in ``findings``)
    originals: dict[int, str]  # row -> original text, for the rows with findings
    translations: dict[int, str]


_reports: dict[tuple, QaReport] = {}
_reports_lock = threading.Lock()


def check_document(database: Database, slug: str, *, published_only: bool = False) -> QaReport:
    """The open findings of a document's latest alignment; ``published_only`` (for
    readers) treats a draft as missing. The stored check of that alignment is used when
    the glossary has not changed since it ran. Kept while the library, the glossary and
    the document's dismissals stay as they are (readers ask for them with every page
    view)."""
    with database.reader() as session:
        document = document_by_slug(session, slug, ("published",) if published_only else None)
        dismissed = store.dismissed_findings(session, slug)
        key = (str(database.url), slug, store.library_version(session),
               store.glossary_version(session), tuple(sorted(dismissed)))
        with _reports_lock:
            cached = _reports.get(key)
        if cached is not None:
            return cached
        pairs = store.document_pairs(session, slug)
        rows = [Row(p.position, p.original, p.translation) for p in pairs]
        findings = _stored_findings(session, document.id)
        if findings is None:
            findings = _run(session, _languages(document), rows)
    open_findings = [f for f in findings if f.key not in dismissed]
    shown = {f.row for f in open_findings}
    report = QaReport(
        slug, len(rows), open_findings, len(findings) - len(open_findings),
        {r.position: r.original for r in rows if r.position in shown},
        {r.position: r.translation for r in rows if r.position in shown},
    )
    with _reports_lock:
        if len(_reports) >= REPORTS_KEPT:
            _reports.pop(next(iter(_reports)))
        _reports[key] = report
    return report


def record_check(session: Session, slug: str, trigger: str) -> None:
    """Check the document's latest alignment and store the findings, in the caller's
    transaction: the write that changed the rows and its check commit together."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown check trigger {trigger!r}")
    document = document_by_slug(session, slug)
    alignment = latest_alignment(session, document.id)
    if alignment is None:
        return
    rows = [Row(p.position, p.original, p.translation)
            for p in store.alignment_pairs(session, document, alignment)]
    findings = _run(session, _languages(document), rows)
    qa_checks.add_check(session, document.id, alignment.id, trigger, _glossary_key(session),
                        len(rows), [dataclasses.asdict(f) for f in findings])


def run_checks(database: Database, slug: str) -> QaReport:
    """``bitext qa``: the report, stored as a check of its own when the latest stored one
    is of an older alignment or glossary (a check on demand)."""
    with database.transaction() as session:
        document = document_by_slug(session, slug)
        if _stored_findings(session, document.id) is None:
            record_check(session, slug, "demand")
    return check_document(database, slug)


@dataclass(frozen=True)
class CheckChange:
    """One stored check and how its findings differ from the check before it."""

    at: dt.datetime
    trigger: str
    revisions: tuple[int, int]  # original and translation revision numbers
    findings: int
    new: int  # findings the check before did not have
    resolved: int  # findings of the check before that this one no longer has


def check_history(database: Database, slug: str, *, limit: int = 20) -> list[CheckChange]:
    """The document's latest stored checks, newest first, each against the one before."""
    with database.reader() as session:
        document = document_by_slug(session, slug)
        checks = qa_checks.document_checks(session, document.id, limit + 1)
    changes = []
    for check, before in zip(checks, [*checks[1:], None], strict=True):
        keys = {f["key"] for f in check.findings}
        earlier = {f["key"] for f in before.findings} if before else set()
        changes.append(CheckChange(check.created_at, check.trigger, check.revisions,
                                   len(keys), len(keys - earlier), len(earlier - keys)))
    return changes[:limit]


def _stored_findings(session: Session, document_id: int) -> list[Finding] | None:
    """The findings stored for the document's latest alignment under the current glossary;
    None when there are none (not checked yet, or the glossary changed since)."""
    latest = qa_checks.document_checks(session, document_id, 1)
    alignment = latest_alignment(session, document_id)
    if not latest or alignment is None or latest[0].alignment_id != alignment.id or (
        latest[0].glossary_version != _glossary_key(session)
    ):
        return None
    return [Finding(**f) for f in latest[0].findings]


def _run(session: Session, languages: tuple[str, str], rows: list[Row]) -> list[Finding]:
    entries = [parse_entry(s.entry) for s in store.latest_entries(session)]
    return check_rows(rows, entries, *languages)


def _languages(document) -> tuple[str, str]:
    return document.language_original, document.language_translation


def _glossary_key(session: Session) -> str:
    return ":".join(str(part) for part in store.glossary_version(session))


class OpenFindings(InputError):
    """Publishing a document whose translation checks have open findings needs the
    editor's confirmation and a note saying why."""

    def __init__(self, count: int):
        plural = "" if count == 1 else "s"
        super().__init__(f"the document has {count} open translation-check finding{plural}: "
                         "confirm publishing it anyway and say why in the note")
        self.count = count


def publication_check(
    database: Database, slug: str, *, despite_findings: bool = False, note: str = "",
) -> dict:
    """What publishing ``slug`` records about its checks: nothing when no finding is open;
    with open findings, their count and the editor's note, or :class:`OpenFindings` unless
    the editor confirmed (``despite_findings``) and wrote a note."""
    count = len(check_document(database, slug).findings)
    if not count:
        return {}
    note = " ".join(note.split())
    if not despite_findings:
        raise OpenFindings(count)
    if not note:
        raise InputError("say in the note why the document is published with open findings")
    if len(note) > REASON_MAX_CHARS:
        raise InputError(f"the note is longer than {REASON_MAX_CHARS} characters")
    return {"open_findings": count, "note": note}


def dismiss_finding(
    database: Database, slug: str, finding_key: str, reason: str, *, user_id: int | None,
    address: str | None = None,
) -> None:
    """Record an editor's decision that a finding is not a fault."""
    reason = reason.strip()
    if not reason:
        raise InputError("give a reason for dismissing the finding")
    if len(reason) > REASON_MAX_CHARS:
        raise InputError(f"the reason is longer than {REASON_MAX_CHARS} characters")
    report = check_document(database, slug)
    finding = next((f for f in report.findings if f.key == finding_key), None)
    if finding is None:
        raise InputError("no such open finding")
    with database.transaction() as session:
        store.dismiss_finding(session, slug, finding_key, reason, user_id)
        audit.record(session, "qa.dismiss", f"document:{slug}", user_id=user_id,
                     address=address, detail={"finding": finding_key, "kind": finding.kind,
                                              "row": finding.row + 1, "reason": reason})


def plain_report(report: QaReport) -> dict:
    """The report as JSON-ready data (rows 1-based, as on the document page)."""
    return {
        "slug": report.slug, "rows": report.rows, "dismissed": report.dismissed,
        "findings": [
            {**dataclasses.asdict(f), "row": f.row + 1,
             "original": report.originals.get(f.row, ""),
             "translation": report.translations.get(f.row, "")}
            for f in report.findings
        ],
    }
