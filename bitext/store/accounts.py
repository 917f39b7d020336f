"""Users, login sessions and failed logins as rows; the rules about them are in
``services.accounts``. Every function works inside the caller's transaction."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bitext.store.schema import LoginFailure, LoginSession, User


@dataclass(frozen=True)
class Credentials:
    """What a login checks, read before the slow hash runs."""

    id: int
    name: str
    password_hash: str
    disabled: bool


@dataclass(frozen=True)
class LiveSession:
    """The account behind a live login session, and the session's times."""

    user_id: int
    user_name: str
    role: str
    created_at: dt.datetime
    expires_at: dt.datetime


def user_named(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def user_name_taken(session: Session, name: str) -> bool:
    return session.scalar(select(User.id).where(User.name == name)) is not None


def add_user(session: Session, name: str, password_hash: str, role: str) -> User:
    user = User(name=name, password_hash=password_hash, role=role)
    session.add(user)
    session.flush()
    return user


def credentials_of(session: Session, name: str) -> Credentials | None:
    row = session.execute(
        select(User.id, User.name, User.password_hash, User.disabled).where(User.name == name)
    ).first()
    return None if row is None else Credentials(*row)


def password_still_valid(session: Session, user_id: int, password_hash: str) -> bool:
    """The account still has this hash and is enabled (neither changed while it was read)."""
    return session.scalar(select(User.id).where(
        User.id == user_id, User.password_hash == password_hash,
        User.disabled.is_(False))) is not None


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))


def failures_of_name_and_address(
    session: Session, name: str, address: str, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    """How many failed logins of ``name`` from ``address`` after ``since``, and the latest."""
    count, latest = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.name == name, LoginFailure.address == address,
            LoginFailure.at > since)
    ).one()
    return count, latest


def failures_from_address(session: Session, address: str, since: dt.datetime) -> int:
    """Failed logins of any names from ``address`` after ``since``."""
    return session.scalar(
        select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since)
    ) or 0


def add_login_failure(session: Session, name: str, address: str, at: dt.datetime) -> None:
    session.add(LoginFailure(name=name, address=address, at=at))


def forget_failures_of(session: Session, name: str, address: str) -> None:
    session.execute(delete(LoginFailure).where(
        LoginFailure.name == name, LoginFailure.address == address))


def forget_failures_before(session: Session, before: dt.datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at < before))


def add_login_session(
    session: Session, token_sha256: str, user_id: int, created_at: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    session.add(LoginSession(token_sha256=token_sha256, user_id=user_id,
                             created_at=created_at, expires_at=expires_at))


def live_session(
    session: Session, token_sha256: str, now: dt.datetime, created_after: dt.datetime
) -> LiveSession | None:
    """The session with this token if it has not expired, began after ``created_after``
    and belongs to an enabled account."""
    row = session.execute(
        select(User.id, User.name, User.role, LoginSession.created_at,
               LoginSession.expires_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_sha256 == token_sha256,
            LoginSession.expires_at > now,
            LoginSession.created_at > created_after,
            User.disabled.is_(False),
        )
    ).first()
    return None if row is None else LiveSession(*row)


def extend_live_session(
    session: Session, token_sha256: str, now: dt.datetime, expires_at: dt.datetime
) -> None:
    """Move the session's expiry to ``expires_at``, unless it expired meanwhile."""
    session.execute(update(LoginSession).where(
        LoginSession.token_sha256 == token_sha256, LoginSession.expires_at > now,
    ).values(expires_at=expires_at))


def end_login_session(session: Session, token_sha256: str) -> int | None:
    """Delete the session with this token; the id of its user, or None if there was none."""
    row = session.get(LoginSession, token_sha256)
    if row is None:
        return None
    session.delete(row)
    return row.user_id


def end_expired_sessions(session: Session, now: dt.datetime) -> None:
    session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))


def end_sessions_of(session: Session, user_id: int) -> int:
    """Delete every session of the user; how many there were."""
    return len(session.scalars(
        delete(LoginSession).where(LoginSession.user_id == user_id)
        .returning(LoginSession.token_sha256)
    ).all())


def users_with_live_session_counts(
    session: Session, now: dt.datetime
) -> list[tuple[str, str, bool, int, dt.datetime]]:
    """(name, role, disabled, live sessions, created at) of every user, by name."""
    live = (
        select(LoginSession.user_id, func.count().label("sessions"))
        .where(LoginSession.expires_at > now)
        .group_by(LoginSession.user_id)
        .subquery()
    )
    return list(session.execute(
        select(User.name, User.role, User.disabled, func.coalesce(live.c.sessions, 0),
               User.created_at)
        .outerjoin(live, live.c.user_id == User.id)
        .order_by(User.name)
    ).all())


def user_names_by_id(session: Session) -> dict[int | None, str]:
    return dict(session.execute(select(User.id, User.name)).all())
