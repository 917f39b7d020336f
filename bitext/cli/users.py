"""``bitext user add | list | disable | enable | passwd | revoke-sessions``: editors'
accounts."""

import sys
from typing import Annotated

import typer

from bitext.cli.app import CommandsTakingDb, app, opened_library, user_errors

AccountName = Annotated[str, typer.Argument(help="The account's login name.",
                                            show_default=False)]

users = CommandsTakingDb(help="Manage editor accounts.", no_args_is_help=True)
app.add_typer(users, name="user")


@users.command("add")
@user_errors
def add_user(name: AccountName) -> None:
    """Create an account; the password is prompted for, or read from standard input."""
    from bitext.services.accounts import add_user as add

    password = _new_password()
    with opened_library() as database:
        account = add(database, name, password, "editor")
    print(f"added {account.role} {account.name}")


@users.command("list")
@user_errors
def list_users() -> None:
    """Every account: role, whether it is disabled, live sessions, creation date."""
    from bitext.services.accounts import list_accounts

    with opened_library() as database:
        accounts = list_accounts(database)
    for account in accounts:
        state = "disabled" if account.disabled else "active"
        print(f"{account.name}\t{account.role}\t{state}\t{account.sessions} sessions\t"
              f"created {account.created_at:%Y-%m-%d}")


@users.command("disable")
@user_errors
def disable(name: AccountName) -> None:
    """Stop an account from logging in; its sessions end at once."""
    _set_disabled(name, True)


@users.command("enable")
@user_errors
def enable(name: AccountName) -> None:
    """Let a disabled account log in again."""
    _set_disabled(name, False)


@users.command("passwd")
@user_errors
def passwd(name: AccountName) -> None:
    """Set a new password (prompted for, or read from standard input); the account's
    sessions end."""
    from bitext.services.accounts import set_password

    password = _new_password()
    with opened_library() as database:
        ended = set_password(database, name, password)
    print(f"changed the password of {name}; {ended} sessions ended")


@users.command("revoke-sessions")
@user_errors
def revoke_sessions(name: AccountName) -> None:
    """Log an account out everywhere."""
    from bitext.services.accounts import revoke_sessions as revoke

    with opened_library() as database:
        ended = revoke(database, name)
    print(f"{ended} sessions of {name} ended")


def _new_password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def _set_disabled(name: str, disabled: bool) -> None:
    from bitext.services.accounts import set_disabled

    with opened_library() as database:
        set_disabled(database, name, disabled)
    print(f"{'disabled' if disabled else 'enabled'} {name}")
