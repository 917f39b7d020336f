"""What editors do: correct a paragraph, edit metadata, change a status, fix the alignment,
work through the report queue and read the audit log.

Every route takes ``EditorDep``, so anyone not signed in gets the same 404 as a missing page
and nothing reveals that an editor page exists. Forms that fail come back with the message
and what was typed; a success redirects (303) to the page that shows the result.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from bitext.core.metadata import EDITABLE_TEXT_FIELDS
from bitext.errors import Conflict, InputError, NotFound
from bitext.services import editing, qa, reports
from bitext.services.audit_log import audit_entries
from bitext.services.history import locate_paragraph
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.web.dependencies import EditorDep, LibraryDep, SettingsDep, render, see_other
from bitext.web.routes.params import Id, Note, Number, PageNumber, ShortText, Side, Slug
from bitext.web.security import client_address
from bitext.web.templating import path_for
from bitext.web.views import editorial

router = APIRouter(include_in_schema=False)

LongText = Annotated[str, Form(max_length=editing.PARAGRAPH_MAX_CHARS * 2)]
MetaText = Annotated[str, Form(max_length=editorial.METADATA_FIELD_MAX_CHARS)]
ReportStatus = Literal["open", "accepted", "rejected", "duplicate"]


def document_path(request: Request, slug: str) -> str:
    return path_for(request, "document", slug=slug)


# ---- corrections ---------------------------------------------------------------------


@router.get("/documents/{slug}/paragraphs/{paragraph_id}/edit", response_class=HTMLResponse,
            name="edit_paragraph")
def edit_paragraph_form(request: Request, database: LibraryDep, editor: EditorDep,
                        slug: Slug, paragraph_id: Id, side: Side):
    document_view = editorial.editable_document(database, slug)
    paragraph = editorial.current_paragraph(database, document_view, side, paragraph_id)
    if paragraph is None:
        raise NotFound("Paragraph not found")
    if paragraph.id != paragraph_id:  # corrected since: edit the current text
        return see_other(path_for(request, "edit_paragraph", slug=slug,
                                  paragraph_id=paragraph.id) + f"?side={side}")
    return render(request, "edit_paragraph.html", meta=document_view.meta, side=side,
                  paragraph_id=paragraph.id, text=paragraph.text, note="",
                  base=document_view.revisions[side], theirs=None, message=None,
                  row=editorial.row_of(document_view, paragraph.id))


@router.post("/documents/{slug}/paragraphs/{paragraph_id}/edit", name="edit_paragraph_post")
def edit_paragraph(
    request: Request, database: LibraryDep, editor: EditorDep,
    slug: Slug, paragraph_id: Id, side: Side,
    text: LongText = "", note: Note = "", base: Number = 0,
):
    try:
        saved = editing.edit_paragraph(database, editor, slug, side, paragraph_id, base,
                                       text, note, address=client_address(request))
    except editing.EditConflict as conflict:
        document_view = get_document(database, slug, statuses=EVERY_STATUS)
        current = editorial.current_paragraph(database, document_view, side, paragraph_id)
        return render(
            request, "edit_paragraph.html", 409, meta=document_view.meta, side=side,
            paragraph_id=current.id if current else paragraph_id,
            text=conflict.your_text, note=note, base=conflict.current_revision,
            theirs=current.text if current else conflict.current_text,
            message=conflict.message,
            row=editorial.row_of(document_view, current.id) if current else None,
        )
    except (InputError, Conflict) as error:
        document_view = get_document(database, slug, statuses=EVERY_STATUS)
        return render(request, "edit_paragraph.html", error.status,
                      meta=document_view.meta, side=side, paragraph_id=paragraph_id,
                      text=text, note=note, base=base, theirs=None, message=error.message,
                      row=editorial.row_of(document_view, paragraph_id))
    location = locate_paragraph(database, slug, saved.paragraph_id, statuses=EVERY_STATUS)
    return see_other(f"{document_path(request, slug)}?saved=1#p{location.row}")


# ---- metadata and status -------------------------------------------------------------


@router.get("/documents/{slug}/metadata", response_class=HTMLResponse, name="edit_metadata")
def edit_metadata_form(request: Request, database: LibraryDep, editor: EditorDep, slug: Slug):
    document_view = editorial.editable_document(database, slug)
    form = editorial.MetadataForm.from_document(
        document_view, editing.metadata_version(database, slug))
    return render(request, "edit_metadata.html", meta=document_view.meta, form=form,
                  fields=EDITABLE_TEXT_FIELDS, message=None)


@router.post("/documents/{slug}/metadata", name="edit_metadata_post")
def edit_metadata(
    request: Request, database: LibraryDep, editor: EditorDep, slug: Slug,
    title_original: MetaText = "", title_translation: MetaText = "", source: MetaText = "",
    source_translation: MetaText = "", date: MetaText = "", version_date: MetaText = "",
    translator: MetaText = "",
    publisher: MetaText = "", summary: MetaText = "", url_original: MetaText = "",
    licence: MetaText = "", authors: MetaText = "", tags: MetaText = "", note: Note = "",
    base: Number = 0,
):
    values = {"title_original": title_original, "title_translation": title_translation,
              "source": source, "source_translation": source_translation, "date": date,
              "version_date": version_date,
              "translator": translator, "publisher": publisher, "summary": summary,
              "url_original": url_original, "licence": licence}
    form = editorial.MetadataForm(values, authors, tags, note, base)
    try:
        editing.edit_metadata(database, editor, slug, base, form.changes(), note,
                              address=client_address(request))
    except (InputError, Conflict) as error:
        document_view = get_document(database, slug, statuses=EVERY_STATUS)
        return render(request, "edit_metadata.html", error.status,
                      meta=document_view.meta, form=form,
                      fields=EDITABLE_TEXT_FIELDS, message=error.message)
    return see_other(f"{document_path(request, slug)}?saved=1")


@router.post("/documents/{slug}/status", name="status_post")
def change_status(request: Request, database: LibraryDep, editor: EditorDep, slug: Slug,
                  status: ShortText = "", despite_findings: ShortText = "", note: Note = ""):
    """Publishing a document with open translation-check findings asks first: a page
    lists them and takes the note that publishes it anyway."""
    confirmed = despite_findings == "yes"
    try:
        editing.change_status(database, editor, slug, status, address=client_address(request),
                              despite_findings=confirmed, note=note)
    except qa.OpenFindings:
        return _confirm_publication(request, database, slug, note)
    except InputError as error:
        if not (confirmed and status == "published"):
            raise
        return _confirm_publication(request, database, slug, note, error.message)
    return see_other(f"{document_path(request, slug)}?status=1")


PUBLISH_FINDINGS_SHOWN = 50


def _confirm_publication(request: Request, database: LibraryDep, slug: str, note: str,
                         message: str | None = None) -> HTMLResponse:
    return render(request, "publish_confirm.html", 400 if message else 200,
                  report=qa.check_document(database, slug), shown=PUBLISH_FINDINGS_SHOWN,
                  note=note, note_max=qa.REASON_MAX_CHARS, message=message)


# ---- alignment -----------------------------------------------------------------------


@router.get("/documents/{slug}/alignment", response_class=HTMLResponse, name="alignment")
def alignment_form(request: Request, database: LibraryDep, editor: EditorDep, slug: Slug,
                   row: Annotated[int | None, Query(ge=1, le=2**31)] = None):
    page = editorial.alignment_page(database, slug, row)
    return render(request, "alignment.html", page=page, message=None)


@router.post("/documents/{slug}/alignment", name="alignment_post")
def edit_alignment(
    request: Request, database: LibraryDep, editor: EditorDep, slug: Slug,
    base_alignment: Number = 0, position: Number = 0,
    level: ShortText = "paragraph", operation: ShortText = "",
    side: ShortText = "original", source_count: Number = 1, target_count: Number = 1,
    row: Annotated[str, Form(max_length=12)] = "", note: Note = "",
):
    chosen_row = editorial.parse_optional_int(row, "row")
    try:
        editing.edit_alignment(
            database, editor, slug, base_alignment, level, position, operation,
            side=side, source_count=source_count, target_count=target_count, note=note,
            address=client_address(request),
        )
    except (InputError, Conflict) as error:
        page = editorial.alignment_page(database, slug, chosen_row)
        return render(request, "alignment.html", error.status, page=page,
                      message=error.message)
    query = f"?row={chosen_row}" if chosen_row else ""
    return see_other(path_for(request, "alignment", slug=slug) + query)


# ---- reports and the audit log -------------------------------------------------------


@router.get("/editor/reports", response_class=HTMLResponse, name="report_queue")
def report_queue(
    request: Request, database: LibraryDep, settings: SettingsDep, editor: EditorDep,
    status: Annotated[ReportStatus, Query()] = "open",
    page: PageNumber = 1,
    resolved: Annotated[ReportStatus | None, Query()] = None,
):
    """``resolved``: the status an editor just gave a report, said at the top of the queue
    (the report leaves the list it was in, and nothing else would show the click worked)."""
    queue = editorial.queue_page(database, status, page, settings.page_size_reports)
    return render(request, "reports.html", queue=queue, resolved=resolved)


@router.post("/editor/reports/{report_id}", name="report_resolve")
def resolve_report(
    request: Request, database: LibraryDep, editor: EditorDep, report_id: Id,
    status: ShortText = "",
    revision: Annotated[str, Form(max_length=12)] = "",
    back: Annotated[ReportStatus, Form()] = "open",
):
    number = editorial.parse_optional_int(revision, "revision number")
    reports.resolve_report(database, editor, report_id, status, revision_number=number,
                           address=client_address(request))
    return see_other(path_for(request, "report_queue") + f"?status={back}&resolved={status}")


@router.get("/editor/audit", response_class=HTMLResponse, name="audit")
def audit(request: Request, database: LibraryDep, settings: SettingsDep, editor: EditorDep,
          before: Annotated[int | None, Query(ge=1, le=2**53)] = None):
    return render(request, "audit.html", page=audit_entries(
        database, before=before, limit=settings.page_size_audit_entries))
