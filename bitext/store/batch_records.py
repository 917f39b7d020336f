"""Which documents of an ``add --batch`` the library holds, by slug and content hash.

The hash goes into an audit row written with the document, in the same transaction, so a
document is in the library exactly when its hash is: a re-run skips it, and a stopped
batch resumes. A later plain ``document.add`` of the same slug (after a deletion) makes
the old hash void.
"""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bitext.store import audit
from bitext.store.schema import AuditEntry, Document

BATCH_ADD = "document.batch-add"
_ADD = "document.add"
_CHUNK = 500  # keeps each IN (...) well under SQLite's variable limit


def record_batch_key(session: Session, slug: str, key: str) -> None:
    audit.record(session, BATCH_ADD, _target(slug), detail={"content_sha256": key})


def batch_keys(session: Session, slugs: Sequence[str]) -> dict[str, str | None]:
    """For each of ``slugs`` in the library: the content hash its batch import recorded,
    or None if the document came in another way."""
    present: dict[str, str | None] = {}
    for start in range(0, len(slugs), _CHUNK):
        chunk = list(slugs[start:start + _CHUNK])
        present.update(dict.fromkeys(
            session.scalars(select(Document.slug).where(Document.slug.in_(chunk))), None))
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.target, AuditEntry.detail)
            .where(AuditEntry.action.in_((BATCH_ADD, _ADD)),
                   AuditEntry.target.in_([_target(s) for s in chunk]))
            .order_by(AuditEntry.id))
        for action, target, detail in rows:
            slug = target.removeprefix("document:")
            if slug in present:
                present[slug] = (str((detail or {}).get("content_sha256"))
                                 if action == BATCH_ADD else None)
    return present


def _target(slug: str) -> str:
    return f"document:{slug}"
