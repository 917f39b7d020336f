"""The audit log: one row per write, in the same transaction as the write."""

from sqlalchemy.orm import Session

from bitext.store.schema import AuditEntry


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
