"""Accounts: hashing, look-alike names, throttling, server-side sessions."""

import pytest
from sqlalchemy import select

from bitext.errors import InputError
from bitext.services import accounts
from bitext.store.schema import User


def test_password_is_stored_as_argon2_hash(library):
    accounts.add_user(library, "Ed", "a long passphrase", "editor")
    with library.reader() as session:
        user = session.scalar(select(User))
    assert user.name == "ed"
    assert user.password_hash.startswith("$argon2id$") and "passphrase" not in user.password_hash


@pytest.mark.parametrize("name", ["аdmin", "ａｄｍｉｎ", "ADMIN", "admin\u200b", "ad min",
                                  "<script>", "a", "x" * 33])
def test_look_alike_and_bad_user_names_are_refused(library, name):
    accounts.add_user(library, "admin", "a long passphrase", "admin")
    with pytest.raises(InputError):
        accounts.add_user(library, name, "another passphrase", "editor")


def test_login_logout_and_replayed_token(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    token = accounts.log_in(library, "ED", "a long passphrase", "127.0.0.1")
    assert accounts.account_for(library, token).name == "ed"
    accounts.log_out(library, token)
    assert accounts.account_for(library, token) is None
    assert accounts.account_for(library, "forged-token") is None


def test_throttling_after_repeated_failures(library):
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    for _ in range(accounts.THROTTLE_FAILURES_PER_NAME):
        with pytest.raises(InputError, match="wrong user name or password"):
            accounts.log_in(library, "ed", "wrong password", "10.9.9.9")
    with pytest.raises(accounts.TooManyAttempts):
        accounts.log_in(library, "ed", "a long passphrase", "127.0.0.1")


def test_megabyte_password_is_refused_quickly(library):
    with pytest.raises(InputError, match="too long"):
        accounts.add_user(library, "ed", "x" * 1_000_000, "editor")
    accounts.add_user(library, "ed", "a long passphrase", "editor")
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(library, "ed", "x" * 1_000_000, "127.0.0.1")
