"""Editor accounts: argon2 password hashes, server-side sessions, throttling.

Failed logins slow down one (user name, client address) pair at a time, so nobody can lock
an editor out from elsewhere; an unknown name costs a hash like a wrong password, so timing
does not tell which accounts exist. Sessions end after an idle period, when the password
changes and when the account is disabled.

Readers need no account. User names are plain ASCII after NFKC case folding, so look-alike
names (Cyrillic 'а' for Latin 'a', full-width letters, 'Admin' against 'admin') cannot
impersonate an existing user.
"""

import datetime as dt
import functools
import hashlib
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bitext.errors import BitextError, InputError, NotFound
from bitext.settings import Settings
from bitext.store import accounts as store
from bitext.store import audit
from bitext.store.database import Database, Session
from bitext.store.schema import User, utcnow

ROLES = ("editor",)
"""Every account edits; an ``admin`` role that granted nothing more was removed. A new role
is added here together with the routes that check it."""
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 1024
SESSION_LIFETIME = dt.timedelta(hours=12)
SESSION_RENEWAL_STEP = dt.timedelta(minutes=1)  # the idle clock's resolution: few writes
THROTTLE_WINDOW = dt.timedelta(minutes=15)
THROTTLE_FAILURES_PER_ADDRESS = 20  # whatever the names: one address guessing many
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_hasher = PasswordHasher()


class TooManyAttempts(BitextError):
    status = 429


@dataclass(frozen=True)
class LoginBackoff:
    """How long one (user name, client address) pair waits after failed logins."""

    failures_before_delay: int
    first_delay_s: int
    max_delay_s: int
    failure_memory_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "LoginBackoff":
        return cls(settings.login_failures_before_delay, settings.login_delay_first_s,
                   settings.login_delay_max_s, settings.login_failure_memory_s)

    def delay_s(self, failures: int) -> int:
        """The wait after the latest of ``failures`` remembered failures: none at first,
        then doubling up to the maximum."""
        extra = failures - self.failures_before_delay
        if extra < 0:
            return 0
        return min(self.max_delay_s, self.first_delay_s * 2 ** min(extra, 32))


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str


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
        if store.user_name_taken(session, canonical):
            raise InputError("a user with that name already exists")
        user = store.add_user(session, canonical, _hasher.hash(password), role)
        audit.record(session, "user.add", f"user:{canonical}", detail={"role": role})
        return Account(user.id, user.name, user.role)


def log_in(database: Database, name: str, password: str, address: str, *,
           backoff: LoginBackoff | None = None, idle_timeout_s: int | None = None) -> str:
    """Check the password and open a session; returns the session token for the cookie.
    ``backoff`` and ``idle_timeout_s`` default to the settings.

    The slow hash runs with no transaction open: under the write lock, a stream of anonymous
    logins would queue every other write in the library behind password hashing."""
    backoff = backoff or LoginBackoff.from_settings(Settings())
    idle = dt.timedelta(seconds=_idle_timeout_s(idle_timeout_s))
    try:
        canonical = canonical_user_name(name)
    except InputError:
        canonical = ""
    address = address[:64]
    now = utcnow()
    with database.reader() as session:
        _refuse_when_throttled(session, canonical, address, now, backoff)
        user = store.credentials_of(session, canonical) if canonical else None
    # An unknown name is hashed too: it takes as long as a wrong password.
    read_hash = user.password_hash if user else _dummy_hash()
    accepted = _password_matches(read_hash, password) and user is not None and not user.disabled
    new_hash = _rehashed(read_hash, password) if accepted else None
    with database.transaction() as session:
        # Attempts running side by side all passed the early check; under the lock they
        # count as if they had come one after another, whatever their passwords.
        _refuse_when_throttled(session, canonical, address, utcnow(), backoff)
        if user is not None and accepted:
            # Disabled or given a new password while the hash ran: the password was wrong.
            accepted = store.password_still_valid(session, user.id, read_hash)
        if user is None or not accepted:
            store.add_login_failure(session, canonical, address, now)
            audit.record(session, "login.failed", f"user:{canonical or '?'}", address=address)
            failed = True
        else:
            token = secrets.token_urlsafe(32)
            store.add_login_session(session, _digest(token), user.id, now,
                                    now + min(idle, SESSION_LIFETIME))
            store.forget_failures_of(session, canonical, address)
            if new_hash is not None:
                store.set_password_hash(session, user.id, new_hash)
            audit.record(session, "login", f"user:{user.name}", user_id=user.id, address=address)
            failed = False
        forgotten = now - max(dt.timedelta(seconds=backoff.failure_memory_s), THROTTLE_WINDOW)
        store.forget_failures_before(session, forgotten)
    if failed:  # raised after the commit, so the failure is counted
        raise InputError("wrong user name or password")
    return token


def _refuse_when_throttled(session: Session, name: str, address: str, now: dt.datetime,
                           backoff: LoginBackoff) -> None:
    """Too many recent failures of this name from this address, or of any names from this
    address: refused before the password is looked at."""
    remembered = now - dt.timedelta(seconds=backoff.failure_memory_s)
    failures, latest = store.failures_of_name_and_address(session, name, address, remembered)
    if latest is not None:
        wait_s = backoff.delay_s(failures) - (now - latest).total_seconds()
        if wait_s > 0:
            raise TooManyAttempts(
                f"too many failed logins; try again in {math.ceil(wait_s)} seconds")
    by_address = store.failures_from_address(session, address, now - THROTTLE_WINDOW)
    if by_address >= THROTTLE_FAILURES_PER_ADDRESS:
        raise TooManyAttempts("too many failed logins; try again in a few minutes")


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _rehashed(password_hash: str, password: str) -> str | None:
    """A hash with today's argon2 parameters when the stored one was made with others."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def _password_matches(password_hash: str, password: str) -> bool:
    if len(password) > PASSWORD_MAX_CHARS:
        return False  # never hash megabytes
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def account_for(database: Database, token: str | None, *,
                idle_timeout_s: int | None = None) -> Account | None:
    """The account of a live session, or None. Each use keeps the session alive for
    ``idle_timeout_s`` more (default: the setting), up to 12 hours after login."""
    if not token:
        return None
    digest, now = _digest(token), utcnow()
    with database.reader() as session:
        live = store.live_session(session, digest, now, now - SESSION_LIFETIME)
    if live is None:
        return None
    renewed = min(live.created_at + SESSION_LIFETIME,
                  now + dt.timedelta(seconds=_idle_timeout_s(idle_timeout_s)))
    if renewed - live.expires_at >= SESSION_RENEWAL_STEP:
        with database.transaction() as session:
            store.extend_live_session(session, digest, now, renewed)
    return Account(live.user_id, live.user_name, live.role)


def _idle_timeout_s(value: int | None) -> int:
    return Settings().session_idle_timeout_s if value is None else value


def log_out(database: Database, token: str, address: str | None = None) -> None:
    with database.transaction() as session:
        user_id = store.end_login_session(session, _digest(token))
        if user_id is not None:
            audit.record(session, "logout", f"user-id:{user_id}", user_id=user_id,
                         address=address)
        store.end_expired_sessions(session, utcnow())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# ---- administration (the ``bitext user`` commands) -----------------------------------


@dataclass(frozen=True)
class AccountSummary:
    name: str
    role: str
    disabled: bool
    sessions: int  # live sessions
    created_at: dt.datetime


def list_accounts(database: Database) -> list[AccountSummary]:
    """Every account by name, with its number of live sessions."""
    with database.reader() as session:
        rows = store.users_with_live_session_counts(session, utcnow())
    return [AccountSummary(*row) for row in rows]


def set_disabled(database: Database, name: str, disabled: bool) -> None:
    """Disable an account (it cannot log in; its sessions end) or enable it again."""
    with database.transaction() as session:
        user = _user_named(session, name)
        user.disabled = disabled
        if disabled:
            store.end_sessions_of(session, user.id)
        audit.record(session, "user.disable" if disabled else "user.enable",
                     f"user:{user.name}")


def set_password(database: Database, name: str, password: str) -> int:
    """A new password; every session of the account ends. Returns how many ended."""
    _check_password(password)
    with database.transaction() as session:
        user = _user_named(session, name)
        user.password_hash = _hasher.hash(password)
        ended = store.end_sessions_of(session, user.id)
        audit.record(session, "user.password", f"user:{user.name}")
        return ended


def revoke_sessions(database: Database, name: str) -> int:
    """Log an account out everywhere; returns how many sessions ended."""
    with database.transaction() as session:
        user = _user_named(session, name)
        ended = store.end_sessions_of(session, user.id)
        audit.record(session, "user.revoke-sessions", f"user:{user.name}",
                     detail={"sessions": ended})
        return ended


def _user_named(session: Session, name: str) -> User:
    user = store.user_named(session, canonical_user_name(name))
    if user is None:
        raise NotFound("no user with that name")
    return user
