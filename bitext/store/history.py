"""A document's numbered changes as stored: text revisions, metadata snapshots and
alignments, read newest first; and the links from a corrected paragraph to its successor."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bitext.store.schema import Alignment, MetadataRevision, Revision, Segment


def _newest(session: Session, table, document_id: int, limit: int | None) -> list:
    return list(session.scalars(
        select(table).where(table.document_id == document_id)
        .order_by(table.created_at.desc(), table.id.desc()).limit(limit)
    ))


def newest_revisions(session: Session, document_id: int, limit: int | None) -> list[Revision]:
    """The document's text revisions (both sides), newest first; ``limit`` of them or all."""
    return _newest(session, Revision, document_id, limit)


def newest_metadata_revisions(
    session: Session, document_id: int, limit: int | None
) -> list[MetadataRevision]:
    """The document's metadata snapshots, newest first; ``limit`` of them or all."""
    return _newest(session, MetadataRevision, document_id, limit)


def newest_alignments(session: Session, document_id: int, limit: int | None) -> list[Alignment]:
    """The document's alignments, newest (highest id) first; ``limit`` of them or all."""
    return list(session.scalars(
        select(Alignment).where(Alignment.document_id == document_id)
        .order_by(Alignment.id.desc()).limit(limit)
    ))


def _count(session: Session, table, document_id: int) -> int:
    return session.scalar(select(func.count()).select_from(table)
                          .where(table.document_id == document_id)) or 0


def alignment_count(session: Session, document_id: int) -> int:
    return _count(session, Alignment, document_id)


def change_count(session: Session, document_id: int) -> int:
    """Text revisions, metadata snapshots and alignments of the document, all together."""
    return sum(_count(session, table, document_id)
               for table in (Revision, MetadataRevision, Alignment))


def revision_numbered(
    session: Session, document_id: int, side: str, number: int
) -> Revision | None:
    return session.scalar(select(Revision).where(
        Revision.document_id == document_id, Revision.side == side, Revision.number == number,
    ))


def successor_paragraph(session: Session, document_id: int, paragraph_id: int) -> int | None:
    """The id of the newest paragraph of the document whose text replaced this one."""
    return session.scalar(
        select(Segment.id).where(
            Segment.replaces_id == paragraph_id, Segment.document_id == document_id
        ).order_by(Segment.id.desc()).limit(1)
    )


def metadata_version(session: Session, document_id: int) -> int:
    """The number of the latest metadata snapshot, 0 before any."""
    return session.scalar(
        select(MetadataRevision.number)
        .where(MetadataRevision.document_id == document_id)
        .order_by(MetadataRevision.number.desc())
        .limit(1)
    ) or 0


def add_metadata_revision(
    session: Session, document_id: int, number: int, metadata_json: dict, note: str,
    author_id: int,
) -> None:
    session.add(MetadataRevision(document_id=document_id, number=number,
                                 metadata_json=metadata_json, note=note, author_id=author_id))
