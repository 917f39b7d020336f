"""The publication workflow: draft → published → withdrawn (and back to published)."""

from bitext.errors import InputError
from bitext.services.accounts import Account
from bitext.services.qa import publication_check
from bitext.store import audit
from bitext.store import documents as store
from bitext.store.database import Database
from bitext.store.schema import utcnow

STATUS_CHANGES = {
    "draft": {"published"},
    "published": {"withdrawn", "draft"},
    "withdrawn": {"published"},
}


def change_status(
    database: Database, editor: Account, slug: str, status: str, *,
    address: str | None = None, despite_findings: bool = False, note: str = "",
) -> None:
    """Move a document along ``STATUS_CHANGES``, with its audit row; anything else is
    refused in one line. Publishing a document with open translation-check findings is
    refused (:class:`~bitext.services.qa.OpenFindings`) unless the editor confirms
    (``despite_findings``) with a ``note``, which the audit row keeps with the count."""
    with database.reader() as session:
        _check_change(store.document_by_slug(session, slug).status, status)
    checks = publication_check(database, slug, despite_findings=despite_findings,
                               note=note) if status == "published" else {}
    with database.transaction() as session:
        document = store.document_by_slug(session, slug)
        _check_change(document.status, status)
        audit.record(session, "document.status", f"document:{slug}", user_id=editor.id,
                     address=address, detail={"from": document.status, "to": status, **checks})
        document.status = status
        document.updated_at = utcnow()


def _check_change(current: str, status: str) -> None:
    if status not in STATUS_CHANGES.get(current, set()):
        raise InputError(f"a {current} document cannot become {status}")
