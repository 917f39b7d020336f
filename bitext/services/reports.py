"""Reader error reports ("See an error? Tell us") and the editors' queue."""

import datetime as dt
import re
from dataclasses import dataclass

from bitext.core.sides import as_side
from bitext.errors import BitextError, InputError, NotFound
from bitext.services.accounts import Account
from bitext.store import audit
from bitext.store import documents as store
from bitext.store import reports as stored
from bitext.store.database import Database
from bitext.store.history import revision_numbered
from bitext.store.schema import utcnow

REPORT_STATUSES = ("open", "accepted", "rejected", "duplicate")
REPORTS_PER_ADDRESS_PER_HOUR = 10
QUOTED_MAX_CHARS = 2000
SUGGESTION_MAX_CHARS = 5000
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}$")


class RateLimited(BitextError):
    status = 429


@dataclass(frozen=True)
class ReportView:
    id: int
    slug: str
    title: str
    side: str
    paragraph_id: int
    quoted: str
    suggestion: str
    email: str | None
    status: str
    created_at: dt.datetime
    revision_number: int | None


def submit_report(
    database: Database,
    slug: str,
    paragraph_id: int,
    side: str,
    quoted: str,
    suggestion: str,
    email: str | None,
    address: str,
    *,
    per_hour: int = REPORTS_PER_ADDRESS_PER_HOUR,
) -> int:
    """File a report on a paragraph of a published document; returns its id.
    One address may file ``per_hour`` reports an hour."""
    as_side(side)
    quoted, suggestion, email = quoted.strip(), suggestion.strip(), (email or "").strip() or None
    if not suggestion:
        raise InputError("please describe the error or suggest a correction")
    if len(quoted) > QUOTED_MAX_CHARS or len(suggestion) > SUGGESTION_MAX_CHARS:
        raise InputError("the report is too long")
    if email and not _EMAIL.match(email):
        raise InputError("that email address does not look right")
    with database.transaction() as session:
        recent = stored.reports_from_address_since(session, address,
                                                   utcnow() - dt.timedelta(hours=1))
        if recent >= per_hour:
            raise RateLimited("too many reports from your address; please try again later")
        document = store.document_by_slug(session, slug, ("published",))
        revision = store.current_revision(session, document.id, side)
        current = {s.id for s in store.revision_paragraphs(session, revision.id)}
        if paragraph_id not in current:
            raise InputError("that paragraph is not in the current text")
        report = stored.add_report(
            session, document_id=document.id, paragraph_id=paragraph_id, side=side,
            quoted=quoted, suggestion=suggestion, email=email, client_address=address[:64],
        )
        audit.record(session, "report.add", f"report:{report.id}", address=address,
                     detail={"document": slug, "paragraph": paragraph_id})
        return report.id


def list_reports(
    database: Database, status: str | None = "open", *, limit: int | None = None,
    offset: int = 0,
) -> list[ReportView]:
    """Reports with ``status`` (any when None), newest first: ``limit`` of them from
    ``offset`` (a page of the queue), or all."""
    with database.reader() as session:
        return [
            ReportView(r.id, slug, title, r.side, r.paragraph_id, r.quoted, r.suggestion,
                       r.email, r.status, r.created_at, number)
            for r, slug, title, number in stored.reports_with_documents(
                session, status, limit=limit, offset=max(0, offset))
        ]


def count_reports(database: Database, status: str | None = "open") -> int:
    with database.reader() as session:
        return stored.report_count(session, status)


def paragraph_pair(database: Database, report_id: int) -> tuple[str, list[str], list[str]]:
    """The reported paragraph and its aligned counterpart: (side, original, translation)."""
    with database.reader() as session:
        report = stored.report_by_id(session, report_id)
        if report is None:
            raise NotFound("Report not found")
        alignment = store.latest_alignment(session, report.document_id)
        for bead in store.beads_of(session, alignment.id, "paragraph") if alignment else []:
            if report.paragraph_id in (*bead.source_ids, *bead.target_ids):
                texts = stored.segment_texts(session, [*bead.source_ids, *bead.target_ids])
                return (report.side, [texts[i] for i in bead.source_ids],
                        [texts[i] for i in bead.target_ids])
        text = stored.segment_texts(session, [report.paragraph_id]).get(report.paragraph_id)
        if text is None:
            raise NotFound("Paragraph not found")
        return (report.side, [text] if report.side == "original" else [],
                [text] if report.side == "translation" else [])


def resolve_report(
    database: Database,
    editor: Account,
    report_id: int,
    status: str,
    *,
    revision_number: int | None = None,
    address: str | None = None,
) -> None:
    """Set a report's status; accepting may link the revision that fixed it."""
    if status not in REPORT_STATUSES:
        raise InputError(f"status must be one of: {', '.join(REPORT_STATUSES)}")
    with database.transaction() as session:
        report = stored.report_by_id(session, report_id)
        if report is None:
            raise NotFound("Report not found")
        report.status = status
        report.handled_by = editor.id
        report.handled_at = utcnow()
        if revision_number is not None:
            revision = revision_numbered(session, report.document_id, report.side,
                                         revision_number)
            if revision is None:
                raise InputError("no such revision of that side")
            report.revision_id = revision.id
        audit.record(session, f"report.{status}", f"report:{report_id}", user_id=editor.id,
                     address=address, detail={"revision": revision_number})
