"""Reader error reports as rows: filing, counting and listing them for the editors' queue."""

import datetime as dt
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bitext.store.schema import Document, Report, Revision, Segment


def reports_from_address_since(session: Session, address: str, since: dt.datetime) -> int:
    return session.scalar(
        select(func.count()).where(Report.client_address == address, Report.created_at > since)
    ) or 0


def add_report(
    session: Session, *, document_id: int, paragraph_id: int, side: str, quoted: str,
    suggestion: str, email: str | None, client_address: str,
) -> Report:
    report = Report(document_id=document_id, paragraph_id=paragraph_id, side=side,
                    quoted=quoted, suggestion=suggestion, email=email,
                    client_address=client_address)
    session.add(report)
    session.flush()
    return report


def report_by_id(session: Session, report_id: int) -> Report | None:
    return session.get(Report, report_id)


def reports_with_documents(
    session: Session, status: str | None, *, limit: int | None, offset: int
) -> list[tuple[Report, str, str, int | None]]:
    """(report, document slug, translated title, number of the revision that fixed it) of
    the reports with ``status`` (any when None), newest first."""
    query = (
        select(Report, Document.slug, Document.title_translation, Revision.number)
        .join(Document, Document.id == Report.document_id)
        .outerjoin(Revision, Revision.id == Report.revision_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .offset(offset).limit(limit)
    )
    if status:
        query = query.where(Report.status == status)
    return list(session.execute(query).all())


def report_count(session: Session, status: str | None) -> int:
    """Reports with ``status`` (all when None)."""
    query = select(func.count()).select_from(Report)
    if status:
        query = query.where(Report.status == status)
    return session.scalar(query) or 0


def segment_texts(session: Session, segment_ids: Collection[int]) -> dict[int, str]:
    """Text by id of these segments (ids not found are left out)."""
    return dict(session.execute(
        select(Segment.id, Segment.text).where(Segment.id.in_(list(segment_ids)))
    ).all())
