"""Reading the audit log: who did what, when, from which address (newest first)."""

import datetime as dt
from dataclasses import dataclass

from bitext.store import audit
from bitext.store.database import Database

AUDIT_PAGE_MAX_ENTRIES = 500


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    user: str | None  # None: anonymous (a reader's report, a failed login)
    action: str
    target: str
    detail: dict
    address: str | None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditView]
    older: int | None  # pass as ``before`` for the next (older) page


def audit_entries(
    database: Database, *, before: int | None = None, limit: int = 100
) -> AuditPage:
    """Up to ``limit`` entries older than the entry id ``before`` (or the newest ones)."""
    limit = max(1, min(limit, AUDIT_PAGE_MAX_ENTRIES))
    with database.reader() as session:
        rows = audit.entries_with_user_names(session, before=before, limit=limit + 1)
    entries = [
        AuditView(e.id, e.at, name, e.action, e.target, dict(e.detail or {}), e.address)
        for e, name in rows[:limit]
    ]
    return AuditPage(entries, entries[-1].id if len(rows) > limit else None)
