"""Accounts: hashing, look-alike names, throttling, server-side sessions, the
``bitext user`` commands."""

import datetime as dt
import re
import sqlite3
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select, update
from typer.testing import CliRunner

from bitext.cli import app
from bitext.errors import InputError
from bitext.services import accounts
from bitext.store.schema import LoginFailure, LoginSession, User, utcnow

BACKOFF = accounts.LoginBackoff(failures_before_delay=5, first_delay_s=30, max_delay_s=240,
                                failure_memory_s=86400)


def test_password_is_stored_as_argon2_hash(library):
    accounts.add_user(library, "Ed", "a long passphrase", "editor")
    with library.reader() as session:
        user = session.scalar(select(User))
    assert user.name == "ed"
    assert user.password_hash.startswith("$argon2id$") and "passphrase" not in user.password_hash


@pytest.mark.parametrize("name", ["аdmin", "ａｄｍｉｎ", "ADMIN", "admin\u200b", "ad min",
                                  "<script>", "a", "x" * 33])
def test_look_alike_and_bad_user_names_are_refused(library, name):
    accounts.add_user(library, "admin", "a long passphrase", "editor")
    with pytest.raises(InputError):
        accounts.add_user(library, name, "another passphrase", "editor")


def test_login_logout_and_replayed_token(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    token = accounts.log_in(library, "ED", "a long passphrase", "127.0.0.1")
    assert accounts.account_for(library, token).name == "ed"
    accounts.log_out(library, token)
    assert accounts.account_for(library, token) is None
    assert accounts.account_for(library, "forged-token") is None


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    for _ in range(BACKOFF.failures_before_delay):
        with pytest.raises(InputError, match="wrong user name or password"):
            accounts.log_in(library, "ed", "wrong password", "10.9.9.9", backoff=BACKOFF)
    with pytest.raises(accounts.TooManyAttempts, match=r"try again in \d+ seconds"):
        accounts.log_in(library, "ed", "a long passphrase", "10.9.9.9", backoff=BACKOFF)
    token = accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1", backoff=BACKOFF)
    assert accounts.account_for(library, token).name == "ed"


def test_the_wait_doubles_with_each_failure_and_a_success_forgets_them(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    waits = []
    for _ in range(BACKOFF.failures_before_delay + 3):
        _age_failures(library, dt.timedelta(hours=1))  # every wait so far is over
        with pytest.raises(InputError, match="wrong user name or password"):
            accounts.log_in(library, "ed", "wrong password", "10.9.9.9", backoff=BACKOFF)
        try:
            accounts.log_in(library, "ed", "wrong password", "10.9.9.9", backoff=BACKOFF)
        except accounts.TooManyAttempts as refused:
            waits.append(int(refused.message.split()[-2]))
        except InputError:
            waits.append(0)
    expected = [0, 0, 30, 60, 120, 240, 240, 240]  # counting both tries of each round
    # Seconds still to wait: the full delay less the time the failed login itself took.
    assert all(e - 5 <= w <= e for w, e in zip(waits, expected, strict=True)), waits
    _age_failures(library, dt.timedelta(hours=1))
    accounts.log_in(library, "ed", "a long passphrase", "10.9.9.9", backoff=BACKOFF)
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, "ed", "wrong password", "10.9.9.9", backoff=BACKOFF)


def test_failures_are_forgotten_after_the_memory(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    for _ in range(BACKOFF.failures_before_delay):
        with pytest.raises(InputError):
            accounts.log_in(library, "ed", "wrong password", "10.9.9.9", backoff=BACKOFF)
    _age_failures(library, dt.timedelta(seconds=BACKOFF.failure_memory_s + 1))
    accounts.log_in(library, "ed", "a long passphrase", "10.9.9.9", backoff=BACKOFF)


def test_unknown_names_are_hashed_like_wrong_passwords(library, monkeypatch):
    """Timing must not tell which accounts exist: an unknown name runs the same argon2
    check, with the same parameters, as a wrong password (so the same work)."""
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    for name in ("ed", "nobody"):
        with pytest.raises(InputError, match="wrong user name or password"):
            accounts.log_in(library, name, "wrong password", "10.1.1.1")
    assert [password for _, password in hasher.verified] == ["wrong password"] * 2
    stored, dummy = (password_hash for password_hash, _ in hasher.verified)
    assert stored != dummy and extract_parameters(stored) == extract_parameters(dummy)


class CountingHasher(PasswordHasher):
    """The module's real hasher, keeping what it was asked to hash and to verify: the
    work a login does, counted instead of timed."""

    def __init__(self) -> None:
        super().__init__()
        self.hashed: list[str | bytes] = []
        self.verified: list[tuple[str | bytes, str | bytes]] = []

    def hash(self, password, *, salt=None):
        self.hashed.append(password)
        return super().hash(password, salt=salt)

    def verify(self, hash, password):  # noqa: A002 (argon2's own parameter name)
        self.verified.append((hash, password))
        return super().verify(hash, password)


class _HasherWithHook(PasswordHasher):
    """The module's real hasher, running ``during_verify`` once while it checks a password:
    what another request could do while the slow hash runs."""

    def __init__(self, during_verify: Callable[[], None]):
        super().__init__()
        self.during_verify: Callable[[], None] | None = during_verify

    def verify(self, hash, password):  # noqa: A002 (argon2's own parameter name)
        if self.during_verify is not None:
            during_verify, self.during_verify = self.during_verify, None
            during_verify()
        return super().verify(hash, password)


def _hook_verify(monkeypatch, during_verify: Callable[[], None]) -> None:
    monkeypatch.setattr(accounts, "_hasher", _HasherWithHook(during_verify))


@pytest.mark.parametrize("name, password", [("ed", "wrong password"),
                                            ("nobody", "wrong password")])
def test_the_password_is_checked_without_holding_the_write_lock(library, monkeypatch,
                                                                 name, password):
    """Anonymous logins must not queue the library's writes behind password hashing."""
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    accounts._dummy_hash()  # made once, before the hook is in place
    other_writer: list[str] = []

    def take_write_lock() -> None:
        connection = sqlite3.connect(library.url.database, timeout=0)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            other_writer.append("wrote")
        except sqlite3.OperationalError as error:
            other_writer.append(str(error))
        finally:
            connection.close()

    _hook_verify(monkeypatch, take_write_lock)
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, name, password, "10.2.2.2")
    assert other_writer == ["wrote"]
    _hook_verify(monkeypatch, take_write_lock)
    assert accounts.log_in(library, "ed", "a long passphrase", "10.2.2.2")
    assert other_writer == ["wrote", "wrote"]


@pytest.mark.parametrize("change", [
    lambda library: accounts.set_password(library, "ed", "another passphrase"),
    lambda library: accounts.set_disabled(library, "ed", True),
], ids=["new password", "disabled"])
def test_an_account_changed_while_its_password_is_checked_is_refused(library, monkeypatch,
                                                                     change):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    _hook_verify(monkeypatch, lambda: change(library))
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, "ed", "a long passphrase", "10.3.3.3")
    with library.reader() as session:
        assert session.scalar(select(LoginSession)) is None
        assert session.scalar(select(LoginFailure.name)) == "ed"


def test_logins_side_by_side_are_throttled_as_if_one_after_another(library, monkeypatch):
    """Failures recorded while this attempt's hash ran count against it: many attempts at
    once cannot all slip under the limit."""
    accounts.add_user(library, "ed", "a long passphrase", "editor")

    def others_fail_meanwhile() -> None:
        with library.transaction() as session:
            session.add_all(LoginFailure(name="ed", address="10.4.4.4", at=utcnow())
                            for _ in range(BACKOFF.failures_before_delay))

    _hook_verify(monkeypatch, others_fail_meanwhile)
    with pytest.raises(accounts.TooManyAttempts):
        accounts.log_in(library, "ed", "a long passphrase", "10.4.4.4", backoff=BACKOFF)
    with library.reader() as session:
        assert session.scalar(select(LoginSession)) is None


def test_a_hash_made_with_older_parameters_is_upgraded_at_login(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    old_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash("a long passphrase")
    with library.transaction() as session:
        session.execute(update(User).values(password_hash=old_hash))
    accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    with library.reader() as session:
        new_hash = session.scalar(select(User.password_hash))
    assert new_hash != old_hash and not PasswordHasher().check_needs_rehash(new_hash)
    assert accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")


def test_sessions_end_after_the_idle_timeout_and_use_keeps_them_alive(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    token = accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1",
                            idle_timeout_s=600)
    created_at, expires_at = _session_times(library)
    assert expires_at - created_at == dt.timedelta(seconds=600)
    _set_expiry(library, utcnow() + dt.timedelta(seconds=30))  # 9.5 idle minutes later
    assert accounts.account_for(library, token, idle_timeout_s=600).name == "ed"
    _, renewed = _session_times(library)
    assert renewed > utcnow() + dt.timedelta(seconds=590)
    _set_expiry(library, utcnow() - dt.timedelta(seconds=1))  # 10 idle minutes
    assert accounts.account_for(library, token, idle_timeout_s=600) is None


def test_sessions_never_outlive_twelve_hours(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    token = accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    _set_expiry(library, utcnow() + dt.timedelta(seconds=30),
                created_at=utcnow() - accounts.SESSION_LIFETIME + dt.timedelta(minutes=5))
    assert accounts.account_for(library, token, idle_timeout_s=3600) is not None
    created_at, expires_at = _session_times(library)
    assert expires_at == created_at + accounts.SESSION_LIFETIME  # not an hour from now
    _set_expiry(library, utcnow() + dt.timedelta(hours=1),
                created_at=utcnow() - accounts.SESSION_LIFETIME)
    assert accounts.account_for(library, token, idle_timeout_s=3600) is None


def test_a_new_password_ends_every_session(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    tokens = [accounts.log_in(library, "ed", "a long passphrase", f"10.0.0.{i}")
              for i in range(2)]
    assert accounts.set_password(library, "ed", "another passphrase") == 2
    assert [accounts.account_for(library, token) for token in tokens] == [None, None]
    with pytest.raises(InputError):
        accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    assert accounts.log_in(library, "ed", "another passphrase", "127.0.0.1")


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    token = accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    accounts.set_disabled(library, "ed", True)
    assert accounts.account_for(library, token) is None
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    accounts.set_disabled(library, "ed", False)
    assert accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")


def test_user_commands(library, tmp_path):
    env = {"BITEXT_DATABASE_URL": f"sqlite:///{tmp_path / 'library.db'}"}

    def bitext(*args: str, password: str | None = None) -> str:
        result = CliRunner().invoke(app, ["user", *args], input=password, env=env)
        assert result.exit_code == 0, result.output
        return result.output

    bitext("add", "ed", password="a long passphrase\n")
    bitext("add", "boss", password="a long passphrase\n")
    token = accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")
    assert re.search(r"^boss\teditor\tactive\t0 sessions", bitext("list"), re.M)
    assert re.search(r"^ed\teditor\tactive\t1 sessions", bitext("list"), re.M)
    assert "1 sessions of ed ended" in bitext("revoke-sessions", "ed")
    assert accounts.account_for(library, token) is None
    bitext("disable", "ED")
    assert re.search(r"^ed\teditor\tdisabled", bitext("list"), re.M)
    with pytest.raises(InputError):
        accounts.log_in(library, "ed", "a long passphrase", "10.0.0.1")
    bitext("enable", "ed")
    bitext("passwd", "ed", password="a new passphrase\n")
    assert accounts.log_in(library, "ed", "a new passphrase", "10.0.0.2")
    result = CliRunner().invoke(app, ["user", "disable", "nobody"], env=env)
    assert result.exit_code == 1 and "no user with that name" in result.output


def _age_failures(library, by: dt.timedelta) -> None:
    """Move the recorded failures back in time (Python arithmetic: SQLite has no dates)."""
    with library.transaction() as session:
        for failure in session.scalars(select(LoginFailure)):
            failure.at -= by


def _session_times(library) -> tuple[dt.datetime, dt.datetime]:
    with library.reader() as session:
        row = session.execute(select(LoginSession.created_at, LoginSession.expires_at)).one()
    return row[0], row[1]


def _set_expiry(library, expires_at: dt.datetime, **times: dt.datetime) -> None:
    with library.transaction() as session:
        session.execute(update(LoginSession).values(expires_at=expires_at, **times))


def test_megabyte_password_is_refused_before_hashing(library, monkeypatch):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    with pytest.raises(InputError, match="too long"):
        accounts.add_user(library, "al", "x" * 1_000_000, "editor")
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, "ed", "x" * 1_000_000, "127.0.0.1")
    assert hasher.hashed == [] and hasher.verified == []  # argon2 never saw a megabyte


def test_the_only_role_is_editor(library):
    with pytest.raises(InputError, match="role must be one of: editor"):
        accounts.add_user(library, "boss", "a long passphrase", "admin")
