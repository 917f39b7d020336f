"""Translation checks for editors: a document's open findings, row by row, each with a
form to dismiss it with a reason (kept in the audit log)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bitext.services.qa import REASON_MAX_CHARS, check_document, dismiss_finding
from bitext.web.security import client_address
from bitext.web.templating import path_for
from bitext.web.views.editorial import require_editor

router = APIRouter()


@router.get("/editor/checks/{slug}", response_class=HTMLResponse, name="qa_checks",
            include_in_schema=False)
def checks_page(request: Request, slug: str, dismissed: int = 0) -> HTMLResponse:
    require_editor(request)
    report = check_document(request.app.state.database, slug)
    return request.app.state.templates.TemplateResponse(
        request, "glossary_checks.html",
        {"report": report, "dismissed_now": bool(dismissed), "reason_max": REASON_MAX_CHARS})


@router.post("/editor/checks/{slug}", name="qa_dismiss", include_in_schema=False)
def dismiss(
    request: Request, slug: str,
    key: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=REASON_MAX_CHARS * 2)] = "",
) -> RedirectResponse:
    account = require_editor(request)
    dismiss_finding(request.app.state.database, slug, key, reason, user_id=account.id,
                    address=client_address(request))
    return RedirectResponse(path_for(request, "qa_checks", slug=slug) + "?dismissed=1",
                            status_code=303)


@router.get("/api/documents/{slug}/checks", name="api_document_checks", tags=["documents"])
def api_document_checks(request: Request, slug: str) -> dict:
    """A published document's open translation-check findings, per aligned row (1-based):
    what the reader's "checked" notice lists."""
    report = check_document(request.app.state.database, slug, published_only=True)
    return {"slug": report.slug, "rows": report.rows, "open": len(report.findings),
            "findings": [{"row": f.row + 1, "kind": f.kind, "message": f.message}
                         for f in report.findings]}
