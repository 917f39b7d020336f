"""Rows of ``import_jobs``: a web import's preview, its progress, its end.

Claiming a job is one conditional UPDATE (queued → running), so two server processes that
look for work at once never run the same job. A running job's process writes a heartbeat;
one whose heartbeat has stopped died with its process and is marked failed.
"""

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bitext.store.schema import AuditEntry, ImportJob, utcnow

PREVIEW = "preview"
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


def add_preview(session: Session, author_id: int | None, slug: str, prepared: dict) -> int:
    job = ImportJob(status=PREVIEW, author_id=author_id, slug=slug, prepared=prepared,
                    stage="", done=0, total=0)
    session.add(job)
    session.flush()
    return job.id


def drop_previews_before(session: Session, before: dt.datetime) -> None:
    """Previews nobody confirmed go (they hold the files' text)."""
    session.execute(delete(ImportJob).where(ImportJob.status == PREVIEW,
                                            ImportJob.created_at < before))


def job_by_id(session: Session, job_id: int) -> ImportJob | None:
    return session.get(ImportJob, job_id)


def recent_jobs(session: Session, limit: int) -> list[ImportJob]:
    """The newest confirmed imports, newest first."""
    return list(session.scalars(
        select(ImportJob).where(ImportJob.status != PREVIEW)
        .order_by(ImportJob.id.desc()).limit(limit)))


def queue_preview(session: Session, job_id: int, author_id: int | None) -> bool:
    """The preview becomes a queued job; False if it is not (or no longer) that
    author's preview."""
    result = session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == PREVIEW,
               ImportJob.author_id == author_id)
        .values(status=QUEUED))
    return result.rowcount == 1  # type: ignore[attr-defined]


def claim_next(session: Session) -> tuple[int, dict] | None:
    """The oldest queued job, now running for the caller, with what it should import."""
    for job_id in session.scalars(select(ImportJob.id).where(ImportJob.status == QUEUED)
                                  .order_by(ImportJob.id).limit(5)):
        now = utcnow()
        claimed = session.execute(
            update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == QUEUED)
            .values(status=RUNNING, started_at=now, heartbeat_at=now, stage="starting")
            .returning(ImportJob.prepared)).first()
        if claimed is not None:
            return job_id, claimed.prepared or {}
    return None


def record_progress(session: Session, job_id: int, stage: str | None = None,
                    done: int = 0, total: int = 0) -> None:
    """A running job's heartbeat, and its stage when given."""
    values: dict = {"heartbeat_at": utcnow()}
    if stage is not None:
        values.update(stage=stage[:64], done=done, total=total)
    session.execute(update(ImportJob)
                    .where(ImportJob.id == job_id, ImportJob.status == RUNNING)
                    .values(**values))


def finish(session: Session, job_id: int, report: dict) -> None:
    session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
        status=DONE, report=report, prepared=None, stage="done", finished_at=utcnow()))


def fail(session: Session, job_id: int, error: str) -> None:
    session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
        status=FAILED, error=error, prepared=None, finished_at=utcnow()))


def any_stale(session: Session, heartbeat_before: dt.datetime) -> bool:
    return session.scalar(select(ImportJob.id).where(
        ImportJob.status == RUNNING, ImportJob.heartbeat_at < heartbeat_before).limit(1)
    ) is not None


def fail_stale(session: Session, heartbeat_before: dt.datetime, error: str) -> int:
    """Running jobs whose process stopped beating before ``heartbeat_before`` are failed."""
    result = session.execute(
        update(ImportJob)
        .where(ImportJob.status == RUNNING, ImportJob.heartbeat_at < heartbeat_before)
        .values(status=FAILED, error=error, prepared=None, finished_at=utcnow()))
    return result.rowcount  # type: ignore[attr-defined]


def added_report(session: Session, slug: str) -> tuple[dict, dt.datetime] | None:
    """The import report kept with the document's newest ``document.add`` audit row, and
    when; None if it came in without one (the demo, an older import)."""
    row = session.execute(
        select(AuditEntry.detail, AuditEntry.at)
        .where(AuditEntry.action == "document.add", AuditEntry.target == f"document:{slug}")
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    if row is None or not isinstance((row.detail or {}).get("import_report"), dict):
        return None
    return row.detail["import_report"], row.at
