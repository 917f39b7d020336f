"""Reader error reports ("See an error? Tell us") and the editors' queue."""

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from bitext.core.sides import as_side
from bitext.errors import BitextError, InputError, NotFound
from bitext.services.accounts import Account
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database
from bitext.store.schema import Document, Report, Revision, Segment, utcnow

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
        recent = session.scalar(
            select(func.count()).where(
                Report.client_address == address,
                Report.created_at > utcnow() - dt.timedelta(hours=1),
            )
        ) or 0
        if recent >= per_hour:
            raise RateLimited("too many reports from your address; please try again later")
        document = store.document_by_slug(session, slug, ("published",))
        revision = store.current_revision(session, document.id, side)
        current = {s.id for s in store.revision_paragraphs(session, revision.id)}
        if paragraph_id not in current:
            raise InputError("that paragraph is not in the current text")
        report = Report(
            document_id=document.id, paragraph_id=paragraph_id, side=side, quoted=quoted,
            suggestion=suggestion, email=email, client_address=address[:64],
        )
        session.add(report)
        session.flush()
        audit.record(session, "report.add", f"report:{report.id}", address=address,
                     detail={"document": slug, "paragraph": paragraph_id})
        return report.id


def list_reports(
    database: Database, status: str | None = "open", *, limit: int | None = None,
    offset: int = 0,
) -> list[ReportView]:
    """Reports with ``status`` (any when None), newest first: ``limit`` of them from
    ``offset`` (a page of the queue), or all."""
    query = (
        select(Report, Document.slug, Document.title_translation, Revision.number)
        .join(Document, Document.id == Report.document_id)
        .outerjoin(Revision, Revision.id == Report.revision_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .offset(max(0, offset)).limit(limit)
    )
    if status:
        query = query.where(Report.status == status)
    with database.reader() as session:
        return [
            ReportView(r.id, slug, title, r.side, r.paragraph_id, r.quoted, r.suggestion,
                       r.email, r.status, r.created_at, number)
            for r, slug, title, number in session.execute(query)
        ]


def count_reports(database: Database, status: str | None = "open") -> int:
    query = select(func.count()).select_from(Report)
    if status:
        query = query.where(Report.status == status)
    with database.reader() as session:
        return session.scalar(query) or 0


def paragraph_pair(database: Database, report_id: int) -> tuple[str, list[str], list[str]]:
    """The reported paragraph and its aligned counterpart: (side, original, translation)."""
    with database.reader() as session:
        report = session.get(Report, report_id)
        if report is None:
            raise NotFound("Report not found")
        alignment = store.latest_alignment(session, report.document_id)
        for bead in store.beads_of(session, alignment.id, "paragraph") if alignment else []:
            if report.paragraph_id in (*bead.source_ids, *bead.target_ids):
                texts = {
                    s.id: s.text
                    for s in session.scalars(
                        select(Segment).where(
                            Segment.id.in_([*bead.source_ids, *bead.target_ids])
                        )
                    )
                }
                return (report.side, [texts[i] for i in bead.source_ids],
                        [texts[i] for i in bead.target_ids])
        paragraph = session.get(Segment, report.paragraph_id)
        if paragraph is None:
            raise NotFound("Paragraph not found")
        text = paragraph.text
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
        report = session.get(Report, report_id)
        if report is None:
            raise NotFound("Report not found")
        report.status = status
        report.handled_by = editor.id
        report.handled_at = utcnow()
        if revision_number is not None:
            revision = session.scalar(
                select(Revision).where(
                    Revision.document_id == report.document_id,
                    Revision.side == report.side,
                    Revision.number == revision_number,
                )
            )
            if revision is None:
                raise InputError("no such revision of that side")
            report.revision_id = revision.id
        audit.record(session, f"report.{status}", f"report:{report_id}", user_id=editor.id,
                     address=address, detail={"revision": revision_number})
