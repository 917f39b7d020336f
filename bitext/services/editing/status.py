"""The publication workflow: draft → published → withdrawn (and back to published)."""

from bitext.errors import InputError
from bitext.services.accounts import Account
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
    database: Database, editor: Account, slug: str, status: str, *, address: str | None = None
) -> None:
    """Move a document along ``STATUS_CHANGES``, with its audit row; anything else is
    refused in one line."""
    with database.transaction() as session:
        document = store.document_by_slug(session, slug)
        if status not in STATUS_CHANGES.get(document.status, set()):
            raise InputError(f"a {document.status} document cannot become {status}")
        audit.record(session, "document.status", f"document:{slug}", user_id=editor.id,
                     address=address, detail={"from": document.status, "to": status})
        document.status = status
        document.updated_at = utcnow()
