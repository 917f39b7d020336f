"""``bitext user add NAME --role editor``: accounts for editors and admins."""

import sys
from typing import Annotated

import typer

from bitext.cli.app import CommandsTakingDb, app, opened_library, user_errors

users = CommandsTakingDb(help="Manage editor and admin accounts.", no_args_is_help=True)
app.add_typer(users, name="user")


@users.command("add")
@user_errors
def add_user(
    name: str,
    role: Annotated[str, typer.Option(help="editor or admin")] = "editor",
) -> None:
    """Create an account; the password is prompted for, or read from standard input."""
    from bitext.services.accounts import add_user as add

    if sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with opened_library() as database:
        account = add(database, name, password, role)
    print(f"added {account.role} {account.name}")
