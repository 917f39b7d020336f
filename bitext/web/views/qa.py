"""Translation checks for editors: a document's open findings, row by row, each with a
form to dismiss it with a reason (kept in the audit log), and how the stored checks'
findings changed with each import, correction and alignment edit."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bitext.services.qa import REASON_MAX_CHARS, check_document, check_history, dismiss_finding
from bitext.web.dependencies import AccountDep, EditorDep, LibraryDep, render, see_other
from bitext.web.security import client_address
from bitext.web.templating import path_for

router = APIRouter()

TRIGGER_NAMES = {"import": "import", "correction": "text correction",
                 "alignment": "alignment edit", "demand": "check on demand"}


@router.get("/editor/checks/{slug}", response_class=HTMLResponse, name="qa_checks",
            include_in_schema=False)
def checks_page(request: Request, library: LibraryDep, editor: EditorDep, slug: str,
                dismissed: int = 0) -> HTMLResponse:
    return render(request, "glossary_checks.html", report=check_document(library, slug),
                  history=check_history(library, slug), trigger_names=TRIGGER_NAMES,
                  dismissed_now=bool(dismissed), reason_max=REASON_MAX_CHARS)


@router.post("/editor/checks/{slug}", name="qa_dismiss", include_in_schema=False)
def dismiss(
    request: Request, library: LibraryDep, editor: EditorDep, slug: str,
    key: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=REASON_MAX_CHARS * 2)] = "",
) -> RedirectResponse:
    dismiss_finding(library, slug, key, reason, user_id=editor.id,
                    address=client_address(request))
    return see_other(path_for(request, "qa_checks", slug=slug) + "?dismissed=1")


@router.get("/api/documents/{slug}/checks", name="api_document_checks", tags=["documents"])
def api_document_checks(library: LibraryDep, account: AccountDep, slug: str) -> dict:
    """A published document's open translation-check findings, per aligned row (1-based):
    what the reader's "checked" notice lists (an editor's notice on a draft too)."""
    report = check_document(library, slug, published_only=account is None)
    return {"slug": report.slug, "rows": report.rows, "open": len(report.findings),
            "findings": [{"row": f.row + 1, "kind": f.kind, "message": f.message}
                         for f in report.findings]}
