"""The audit log: one row per write, in the same transaction as the write; read newest first."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from bitext.store.schema import AuditEntry, User


def record(
    session: Session,
    action: str,
    target: str,
    *,
    user_id: int | None = None,
    address: str | None = None,
    detail: dict | None = None,
) -> None:
    session.add(
        AuditEntry(
            user_id=user_id, action=action, target=target[:300], detail=detail or {},
            address=(address or "")[:64] or None,
        )
    )


def entries_with_user_names(
    session: Session, *, before: int | None, limit: int
) -> list[tuple[AuditEntry, str | None]]:
    """Up to ``limit`` entries, newest first, older than the entry id ``before`` (if given),
    each with its user's name (None: anonymous)."""
    query = (
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(session.execute(query).all())
