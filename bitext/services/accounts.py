"""Editor and admin accounts: argon2 password hashes, server-side sessions, throttling.

Readers need no account. User names are plain ASCII after NFKC case folding, so look-alike
names (Cyrillic 'а' for Latin 'a', full-width letters, 'Admin' against 'admin') cannot
impersonate an existing user.
"""

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from bitext.errors import BitextError, InputError
from bitext.store import audit
from bitext.store.database import Database
from bitext.store.schema import LoginFailure, LoginSession, User, utcnow

ROLES = ("editor", "admin")
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 1024
SESSION_LIFETIME = dt.timedelta(hours=12)
THROTTLE_WINDOW = dt.timedelta(minutes=15)
THROTTLE_FAILURES_PER_NAME = 5
THROTTLE_FAILURES_PER_ADDRESS = 20
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_hasher = PasswordHasher()


class TooManyAttempts(BitextError):
    status = 429


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def canonical_user_name(name: str) -> str:
    """The one spelling of a user name, or an error naming the rule."""
    folded = unicodedata.normalize("NFKC", name).casefold().strip()
    if not _NAME.match(folded) or not folded.isascii():
        raise InputError(
            "user names are 2 to 32 characters: letters a-z, digits, '.', '_' or '-'"
        )
    return folded


def _check_password(password: str) -> None:
    if len(password) > PASSWORD_MAX_CHARS:
        raise InputError(f"password is too long (at most {PASSWORD_MAX_CHARS} characters)")
    if len(password) < PASSWORD_MIN_CHARS:
        raise InputError(f"password is too short (at least {PASSWORD_MIN_CHARS} characters)")


def add_user(database: Database, name: str, password: str, role: str) -> Account:
    canonical = canonical_user_name(name)
    if role not in ROLES:
        raise InputError(f"role must be one of: {', '.join(ROLES)}")
    _check_password(password)
    with database.transaction() as session:
        if session.scalar(select(User.id).where(User.name == canonical)) is not None:
            raise InputError("a user with that name already exists")
        user = User(name=canonical, password_hash=_hasher.hash(password), role=role)
        session.add(user)
        session.flush()
        audit.record(session, "user.add", f"user:{canonical}", detail={"role": role})
        return Account(user.id, user.name, user.role)


def log_in(database: Database, name: str, password: str, address: str) -> str:
    """Check the password and open a session; returns the session token for the cookie."""
    try:
        canonical = canonical_user_name(name)
    except InputError:
        canonical = ""
    now = utcnow()
    with database.transaction() as session:
        since = now - THROTTLE_WINDOW
        by_name = session.scalar(
            select(func.count()).where(LoginFailure.name == canonical, LoginFailure.at > since)
        ) or 0
        by_address = session.scalar(
            select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since)
        ) or 0
        if by_name >= THROTTLE_FAILURES_PER_NAME or by_address >= THROTTLE_FAILURES_PER_ADDRESS:
            raise TooManyAttempts("too many failed logins; try again in a few minutes")
        user = session.scalar(select(User).where(User.name == canonical)) if canonical else None
        if user is None or user.disabled or not _password_matches(user.password_hash, password):
            session.add(LoginFailure(name=canonical, address=address[:64], at=now))
            audit.record(session, "login.failed", f"user:{canonical or '?'}", address=address)
            failed = True
        else:
            token = secrets.token_urlsafe(32)
            session.add(
                LoginSession(
                    token_sha256=_digest(token), user_id=user.id, created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
            )
            audit.record(session, "login", f"user:{user.name}", user_id=user.id, address=address)
            failed = False
    if failed:  # raised after the commit, so the failure is counted
        raise InputError("wrong user name or password")
    return token


def _password_matches(password_hash: str, password: str) -> bool:
    if len(password) > PASSWORD_MAX_CHARS:
        return False  # never hash megabytes
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def account_for(database: Database, token: str | None) -> Account | None:
    """The account of a live session, or None."""
    if not token:
        return None
    with database.reader() as session:
        row = session.execute(
            select(User.id, User.name, User.role)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                LoginSession.token_sha256 == _digest(token),
                LoginSession.expires_at > utcnow(),
                User.disabled.is_(False),
            )
        ).first()
    return Account(*row) if row else None


def log_out(database: Database, token: str, address: str | None = None) -> None:
    with database.transaction() as session:
        row = session.get(LoginSession, _digest(token))
        if row is not None:
            session.delete(row)
            audit.record(session, "logout", f"user-id:{row.user_id}", user_id=row.user_id,
                         address=address)
        session.execute(delete(LoginSession).where(LoginSession.expires_at <= utcnow()))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
