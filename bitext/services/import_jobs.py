"""Web imports: a preview kept until the editor confirms it, then a background job.

Everything is in the database (``store.import_jobs``), not in a server process: any of
``bitext serve --workers N`` shows a job's progress, any may run a queued one (claiming it
is one conditional update), and a job whose process died stops beating and is shown as
failed. The import itself is one transaction that also marks the job done, so a job is
done exactly when its document exists.
"""

import datetime as dt
import logging
import threading
import time
from dataclasses import asdict, dataclass

from bitext.core.metadata import DocumentMetadata
from bitext.errors import BitextError, InputError, NotFound
from bitext.services.accounts import Account
from bitext.services.file_import import (
    PreparedImport,
    Upload,
    add_from_files,
    prepare_uploads,
)
from bitext.services.import_limits import ImportLimits
from bitext.services.import_report import RemovedItem, removed_items, report_lines, warnings
from bitext.services.library import Library
from bitext.store import documents, own_works
from bitext.store import import_jobs as jobs
from bitext.store.schema import ImportJob, utcnow

log = logging.getLogger(__name__)

PREVIEW_LIFETIME = dt.timedelta(days=1)
PREVIEW_PARAGRAPHS = 8
PROGRESS_INTERVAL_S = 0.5
RECENT_JOBS = 20
INTERRUPTED = ("interrupted: the server stopped while this import ran; nothing of it was "
               "written. Upload the files again.")
SERVER_ERROR = "the import failed (a server error); nothing of it was written"


@dataclass(frozen=True)
class Preview:
    """What an import would store, shown before anything is: counts, what was left out,
    warnings and the first paragraphs of each side next to each other."""

    job_id: int
    meta: DocumentMetadata
    report: dict
    sides: tuple[dict, dict]  # every count of each side's SideReport, zeros included
    lines: list[str]
    removed: list[RemovedItem]
    warnings: list[str]
    first_rows: list[tuple[str, str]]
    paragraphs: tuple[int, int]


@dataclass(frozen=True)
class JobView:
    id: int
    status: str
    slug: str
    stage: str
    done: int
    total: int
    error: str | None
    report: dict | None
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.status in (jobs.DONE, jobs.FAILED)

    @property
    def percent(self) -> int | None:
        """How far the current stage has got, when it says."""
        return min(100, 100 * self.done // self.total) if self.total else None

    @property
    def lines(self) -> list[str]:
        return report_lines(self.report) if self.report else []

    @property
    def removed(self) -> list[RemovedItem]:
        return removed_items(self.report) if self.report else []

    @property
    def warnings(self) -> list[str]:
        return warnings(self.report) if self.report else []


def preview_upload(
    database: Library, account: Account, original: Upload, translation: Upload | None,
    metadata: dict, *, format_name: str | None = None, limits: ImportLimits | None = None,
) -> int:
    """Read the files (refusing them with one line), keep what was read as a preview for
    ``account`` and return its id; no document is written."""
    prepared = prepare_uploads(original, translation, metadata, format_name=format_name,
                               limits=limits)
    with database.reader() as session:
        documents.check_slug_is_new(session, prepared.meta.slug)
        own_works.check_work_slug_is_free(session, prepared.meta.slug)  # it will be its work's
    with database.transaction() as session:
        jobs.drop_previews_before(session, utcnow() - PREVIEW_LIFETIME)
        return jobs.add_preview(session, account.id, prepared.meta.slug, prepared.to_json())


def preview(database: Library, account: Account, job_id: int) -> Preview:
    """The editor's own preview, not yet confirmed."""
    with database.reader() as session:
        job = jobs.job_by_id(session, job_id)
        if job is None or job.status != jobs.PREVIEW or job.author_id != account.id \
                or job.prepared is None:
            raise NotFound("No such import preview (confirmed already, or expired)")
        prepared = PreparedImport.from_json(job.prepared)
    report = prepared.report()
    sides = (asdict(prepared.sides[0]), asdict(prepared.sides[1]))
    return Preview(job_id, prepared.meta, report, sides, report_lines(report),
                   removed_items(report),
                   warnings(report), _first_rows(prepared),
                   (len(prepared.original), len(prepared.translation)))


def _first_rows(prepared: PreparedImport) -> list[tuple[str, str]]:
    """The first paragraphs of both sides as rows: a bilingual file's own pairs, else the
    n-th paragraph of each side (not yet aligned)."""
    if prepared.pairs is not None:
        return [(" ".join(prepared.original[i] for i in bead.source),
                 " ".join(prepared.translation[i] for i in bead.target))
                for bead in prepared.pairs[:PREVIEW_PARAGRAPHS]]
    count = max(len(prepared.original[:PREVIEW_PARAGRAPHS]),
                len(prepared.translation[:PREVIEW_PARAGRAPHS]))
    return [(prepared.original[i] if i < len(prepared.original) else "",
             prepared.translation[i] if i < len(prepared.translation) else "")
            for i in range(count)]


def confirm(database: Library, account: Account, job_id: int) -> None:
    """Queue the editor's preview; the caller wakes a runner."""
    with database.transaction() as session:
        if not jobs.queue_preview(session, job_id, account.id):
            raise InputError("this preview was confirmed already or has expired; upload the "
                             "files again")


def job_view(database: Library, job_id: int, heartbeat_timeout_s: int) -> JobView:
    """The job's state; a running job whose process stopped beating is failed first."""
    fail_stale(database, heartbeat_timeout_s)
    with database.reader() as session:
        job = jobs.job_by_id(session, job_id)
        if job is None or job.status == jobs.PREVIEW:
            raise NotFound("No such import")
        return _view(job)


def has_document_report(database: Library, slug: str) -> bool:
    """Whether the document came in with an import report (the demo and older imports
    did not), so that a page links to it only when there is one."""
    with database.reader() as session:
        return jobs.added_report(session, slug) is not None


def document_report(database: Library, slug: str) -> JobView:
    """The report of the import that added the document (web or CLI), as a finished job."""
    with database.reader() as session:
        found = jobs.added_report(session, slug)
    if found is None:
        raise NotFound("No import report for this document")
    report, at = found
    return JobView(0, jobs.DONE, slug, "done", 0, 0, None, report, at, at)


def recent(database: Library, heartbeat_timeout_s: int) -> list[JobView]:
    fail_stale(database, heartbeat_timeout_s)
    with database.reader() as session:
        return [_view(job) for job in jobs.recent_jobs(session, RECENT_JOBS)]


def fail_stale(database: Library, heartbeat_timeout_s: int) -> int:
    before = utcnow() - dt.timedelta(seconds=heartbeat_timeout_s)
    with database.reader() as session:  # the common case writes nothing
        if not jobs.any_stale(session, before):
            return 0
    with database.transaction() as session:
        return jobs.fail_stale(session, before, INTERRUPTED)


def _view(job: ImportJob) -> JobView:
    return JobView(job.id, job.status, job.slug, job.stage, job.done, job.total, job.error,
                   job.report, job.created_at, job.finished_at)


def run_job(database: Library, job_id: int, prepared_json: dict, heartbeat_s: float) -> None:
    """Align and store one claimed job; its end (done with the document, or failed with
    one line) is recorded whatever happens short of the process dying."""
    beat = _Heartbeat(database, job_id, heartbeat_s)
    last_at, last_stage = 0.0, ""

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last_at, last_stage
        now = time.monotonic()
        if stage == last_stage and now - last_at < PROGRESS_INTERVAL_S:
            return
        last_at, last_stage = now, stage
        with database.transaction() as session:
            jobs.record_progress(session, job_id, stage, done, total)

    def mark_done(session, report: dict) -> None:
        jobs.finish(session, job_id, report)

    beat.start()
    try:
        prepared = PreparedImport.from_json(prepared_json)
        add_from_files(database, prepared, progress=progress, also_write=mark_done)
    except BitextError as error:
        _fail(database, job_id, error.message)
    except Exception:
        log.exception("import job %s failed", job_id)
        _fail(database, job_id, SERVER_ERROR)
    finally:
        beat.stop()


def _fail(database: Library, job_id: int, message: str) -> None:
    with database.transaction() as session:
        jobs.fail(session, job_id, message)


class _Heartbeat:
    """Tells the database every ``interval_s`` that the job's process is alive, also
    while a long alignment step reports no progress."""

    def __init__(self, database: Library, job_id: int, interval_s: float):
        self.database, self.job_id, self.interval_s = database, job_id, interval_s
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True,
                                       name=f"import-{job_id}-heartbeat")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stopped.wait(self.interval_s):
            try:
                with self.database.transaction() as session:
                    jobs.record_progress(session, self.job_id)
            except BitextError:  # busy while the import itself writes: beat again later
                continue


class Runner:
    """Runs queued jobs in a background thread of this process, one at a time, until
    none is left; ``wake()`` after queueing one. Several processes may each have one."""

    def __init__(self, database: Library, heartbeat_timeout_s: int):
        self.database = database
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self._lock = threading.Lock()
        self._woken = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        with self._lock:
            self._woken.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, daemon=True,
                                                name="import-runner")
                self._thread.start()

    def _work(self) -> None:
        try:
            while True:
                self._woken.clear()
                fail_stale(self.database, self.heartbeat_timeout_s)
                with self.database.transaction() as session:
                    claimed = jobs.claim_next(session)
                if claimed is not None:
                    run_job(self.database, *claimed, heartbeat_s=self.heartbeat_timeout_s / 4)
                    continue
                with self._lock:
                    if not self._woken.is_set():
                        self._thread = None
                        return
        except Exception:  # the next wake() starts a new thread
            log.exception("import runner stopped")
            with self._lock:
                self._thread = None
