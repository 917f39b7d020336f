"""The Typer application and its global options; commands live in sibling modules."""

import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from bitext.errors import BitextError

if TYPE_CHECKING:  # the database layer loads only when a command needs the library
    from bitext.services.library import Library

F = TypeVar("F", bound=Callable[..., object])

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="SQLite database file (default: the user's data directory, or "
    "BITEXT_DATABASE_URL).")]


class GlobalOptions:
    """``--db``, given before the command name (``bitext --db PATH add …``) or after it."""

    db_path: Path | None = None


def taking_db(command: F) -> F:
    """``command`` with a ``--db`` option of its own, read after the one before the command
    name: ``bitext serve --db PATH`` works like ``bitext --db PATH serve``, and wins over it."""

    @wraps(command)
    def run(*args: Any, db: Path | None = None, **kwargs: Any) -> object:
        if db is not None:
            GlobalOptions.db_path = db
        return command(*args, **kwargs)

    signature = inspect.signature(command)
    db = inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None,
                           annotation=DbOption)
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), db])
    return run  # type: ignore[return-value]


SlugArgument = Annotated[str, typer.Argument(
    help="The document's slug (its address: /documents/SLUG).", show_default=False)]


def summary_line(docstring: str | None) -> str | None:
    """A docstring's first paragraph on one line: ``bitext --help`` lists each command with
    it, and would otherwise keep the source's line breaks in the middle of a sentence."""
    if not docstring:
        return None
    return " ".join(inspect.cleandoc(docstring).split("\n\n")[0].split())


class CommandsTakingDb(typer.Typer):
    """A Typer whose every command also takes ``--db`` after its name (see ``taking_db``)
    and is listed with its docstring's first paragraph as one line."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        def decorator(command: F) -> F:
            short_help = kwargs.get("short_help") or summary_line(command.__doc__)
            super(CommandsTakingDb, self).command(
                *args, **{**kwargs, "short_help": short_help})(taking_db(command))
            return command

        return decorator


app = CommandsTakingDb(
    name="bitext",
    help="A library of translated documents: import, align, read side by side, search, cite.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

@app.callback()
def global_options(db: DbOption = None) -> None:
    GlobalOptions.db_path = db


@contextmanager
def opened_library() -> Iterator["Library"]:
    """The library named by ``--db``, else by the settings (BITEXT_DATABASE_URL); closed
    when the command is done."""
    from bitext.services.library import open_library
    from bitext.settings import sqlite_url

    database = open_library(sqlite_url(GlobalOptions.db_path) if GlobalOptions.db_path else None)
    try:
        yield database
    finally:
        database.dispose()


def user_errors(command: F) -> F:
    """Turn an expected failure into one line on stderr and exit status 1."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BitextError as error:
            print(f"error: {error.message}", file=sys.stderr)
            raise typer.Exit(1) from None

    return run  # type: ignore[return-value]
