"""Translation checks of a document (``bitext qa``): the checks of :mod:`bitext.core.qa`
over the document's latest alignment and the current glossary, minus the findings an
editor dismissed (each dismissal is kept with its reason and written to the audit log)."""

import dataclasses
import threading
from dataclasses import dataclass

from bitext.core.glossary.entry import parse_entry
from bitext.core.qa.checks import check_rows
from bitext.core.qa.findings import Finding, Row
from bitext.errors import InputError
from bitext.store import audit
from bitext.store import glossary as store
from bitext.store.database import Database
from bitext.store.documents import document_by_slug

REASON_MAX_CHARS = 1000
REPORTS_KEPT = 64  # documents whose last report is kept in memory


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
    readers) treats a draft as missing. Kept while the library, the glossary and the
    document's dismissals stay as they are (readers ask for them with every page view)."""
    with database.reader() as session:
        document = document_by_slug(session, slug, ("published",) if published_only else None)
        dismissed = store.dismissed_findings(session, slug)
        key = (str(database.url), slug, store.library_version(session),
               store.glossary_version(session), tuple(sorted(dismissed)))
        with _reports_lock:
            cached = _reports.get(key)
        if cached is not None:
            return cached
        stored = store.latest_entries(session)
        pairs = store.document_pairs(session, slug)
        languages = document.language_original, document.language_translation
    entries = [parse_entry(s.entry) for s in stored]
    rows = [Row(p.position, p.original, p.translation) for p in pairs]
    findings = check_rows(rows, entries, *languages)
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
