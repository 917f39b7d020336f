"""Editors import documents on the web: upload, preview, confirm, watch, read the report.

The upload (two files, or one bilingual file, and the metadata) is read at once and kept
as a preview; nothing enters the library until the editor confirms. The import then runs
as a background job (``services.import_jobs``) whose page refreshes itself: with a meta
refresh, and with a small script that moves the progress bar without reloading.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from bitext.core.metadata import EDITABLE_TEXT_FIELDS
from bitext.errors import BitextError, ChoiceNeeded, InputError
from bitext.services import import_jobs
from bitext.services.file_import import Upload
from bitext.services.import_limits import ImportLimits
from bitext.web.dependencies import (
    EditorDep,
    ImportRunnerDep,
    LibraryDep,
    SettingsDep,
    render,
    see_other,
)
from bitext.web.templating import path_for
from bitext.web.views.editorial import METADATA_FIELD_MAX_CHARS

router = APIRouter(include_in_schema=False)

FormatChoice = Literal["auto", "docx", "pdf", "html", "markdown", "text"]
FORMATS = {"auto": "Detect from the file", "docx": "Word (DOCX)", "pdf": "PDF",
           "html": "Web page (HTML)", "markdown": "Markdown", "text": "Plain text"}
REQUIRED = ("slug", "title_original", "title_translation", "language_original",
            "language_translation")
OPTIONAL = tuple(name for name in EDITABLE_TEXT_FIELDS if name not in REQUIRED)
FORM_FIELDS = (*REQUIRED, *OPTIONAL, "authors", "tags")
REFRESH_S = 2
Id = Annotated[int, Path(ge=1, le=2**53)]


def _metadata(values: dict[str, str]) -> dict:
    """The metadata the form gives, as a metadata file would: empty fields left out."""
    data: dict = {name: value.strip() for name, value in values.items()
                  if name not in ("authors", "tags") and value.strip()}
    data["tags"] = [t.strip() for t in values["tags"].split(",") if t.strip()]
    data["authors"] = [
        {"name": name.strip(), "romanized": romanized.strip() or None}
        for name, _, romanized in (line.partition("|") for line in values["authors"].splitlines())
        if name.strip()]
    return data


def _read_upload(file: UploadFile | None, max_bytes: int) -> Upload | None:
    """The file's bytes (one past the limit at most), or None when the field was empty."""
    if file is None or not file.filename:
        return None
    data = file.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{file.filename}: larger than {max_bytes:,} bytes (setting "
                         "import_max_bytes)")
    return Upload(file.filename, data)


def _form_page(request: Request, database, settings, status: int = 200, *,
               values: dict[str, str] | None = None, chosen: str = "auto",
               message: str | None = None) -> HTMLResponse:
    values = values or dict.fromkeys(FORM_FIELDS, "")
    return render(request, "import_form.html", status,
                  values=values, chosen=chosen,
                  more_open=any(values[name] for name in FORM_FIELDS if name not in REQUIRED),
                  formats=FORMATS, fields=OPTIONAL, message=message,
                  max_bytes=settings.import_max_bytes,
                  jobs=import_jobs.recent(database, settings.import_job_heartbeat_timeout_s))


@router.get("/editor/import", response_class=HTMLResponse, name="import_form")
def import_form(request: Request, database: LibraryDep, settings: SettingsDep,
                editor: EditorDep):
    return _form_page(request, database, settings)


@router.post("/editor/import", name="import_upload")
async def import_upload(
    request: Request, database: LibraryDep, settings: SettingsDep, editor: EditorDep,
    original: Annotated[UploadFile | None, File()] = None,
    translation: Annotated[UploadFile | None, File()] = None,
    format_name: Annotated[FormatChoice, Form(alias="format")] = "auto",
):
    """The metadata fields are read from the form by name (the metadata's own list), the
    files and their reading in a worker thread: a PDF takes a while."""
    form = await request.form()  # parsed once already, for the parameters above
    values = {name: value if isinstance(value := form.get(name, ""), str) else ""
              for name in FORM_FIELDS}
    return await run_in_threadpool(_preview_or_form, request, database, settings, editor,
                                   original, translation, format_name, values)


def _preview_or_form(request: Request, database, settings, editor, original, translation,
                     format_name: str, values: dict[str, str]):
    limits = ImportLimits.from_settings(settings)
    try:
        for name, value in values.items():
            if len(value) > METADATA_FIELD_MAX_CHARS:
                raise InputError(f"the field {name} is longer than "
                                 f"{METADATA_FIELD_MAX_CHARS:,} characters")
        first = _read_upload(original, limits.max_bytes)
        second = _read_upload(translation, limits.max_bytes)
        if first is None:
            raise InputError("choose the original file (or one bilingual file)")
        job_id = import_jobs.preview_upload(
            database, editor, first, second, _metadata(values),
            format_name=None if format_name == "auto" else format_name, limits=limits)
    except BitextError as error:
        return _form_page(request, database, settings, error.status,
                          values={k: v[:METADATA_FIELD_MAX_CHARS] for k, v in values.items()},
                          chosen=format_name, message=_told_on_the_web(error))
    return see_other(path_for(request, "import_preview", job_id=job_id))


def _told_on_the_web(error: BitextError) -> str:
    """The error's line, saying how to choose here (the form's Format field; for the
    encoding, which the form does not ask, UTF-8) instead of with --format or --encoding."""
    return error.telling(_in_the_form) if isinstance(error, ChoiceNeeded) else error.message


def _in_the_form(option: str, suggested: str | None) -> str:
    if option == "encoding":
        return "save the file as UTF-8 and upload it again"
    if suggested in FORMATS:
        return f"rename it or choose “{FORMATS[suggested]}” as its Format"
    return "choose its Format in the form"


@router.get("/editor/import/{job_id}/preview", response_class=HTMLResponse,
            name="import_preview")
def import_preview(request: Request, database: LibraryDep, editor: EditorDep, job_id: Id):
    return render(request, "import_preview.html",
                  preview=import_jobs.preview(database, editor, job_id))


@router.post("/editor/import/{job_id}/confirm", name="import_confirm")
def import_confirm(request: Request, database: LibraryDep, runner: ImportRunnerDep,
                   editor: EditorDep, job_id: Id):
    import_jobs.confirm(database, editor, job_id)
    runner.wake()
    return see_other(path_for(request, "import_job", job_id=job_id))


@router.get("/editor/imports/{job_id}", response_class=HTMLResponse, name="import_job")
def import_job(request: Request, database: LibraryDep, settings: SettingsDep,
               runner: ImportRunnerDep, editor: EditorDep, job_id: Id):
    """The job's progress; once it is done, its report."""
    job = import_jobs.job_view(database, job_id, settings.import_job_heartbeat_timeout_s)
    if job.status == "done":
        return see_other(path_for(request, "import_report", job_id=job_id))
    if job.status == "queued":  # a runner of this process takes it if no other has
        runner.wake()
    return render(request, "import_job.html", job=job, refresh_s=REFRESH_S)


@router.get("/editor/imports/{job_id}/status", name="import_status")
def import_status(request: Request, database: LibraryDep, settings: SettingsDep,
                  editor: EditorDep, job_id: Id) -> JSONResponse:
    """The progress page's script reads this instead of reloading the page."""
    job = import_jobs.job_view(database, job_id, settings.import_job_heartbeat_timeout_s)
    return JSONResponse({"status": job.status, "stage": job.stage, "done": job.done,
                         "total": job.total, "percent": job.percent, "error": job.error,
                         "finished": job.finished})


@router.get("/editor/imports/{job_id}/report", response_class=HTMLResponse,
            name="import_report")
def import_report(request: Request, database: LibraryDep, settings: SettingsDep,
                  editor: EditorDep, job_id: Id):
    job = import_jobs.job_view(database, job_id, settings.import_job_heartbeat_timeout_s)
    if not job.finished:
        return see_other(path_for(request, "import_job", job_id=job_id))
    return render(request, "import_report.html", job=job)


@router.get("/editor/documents/{slug}/import-report", response_class=HTMLResponse,
            name="document_import_report")
def document_import_report(request: Request, database: LibraryDep, editor: EditorDep,
                           slug: Annotated[str, Path(max_length=200)]):
    """The same report for any imported document, from the web or ``bitext add``."""
    return render(request, "import_report.html",
                  job=import_jobs.document_report(database, slug))
