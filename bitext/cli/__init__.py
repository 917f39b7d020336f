"""Command-line interface: ``bitext COMMAND``. Each command parses, calls a service, prints."""

from bitext.cli import (  # noqa: F401  (registers commands)
    align,
    export,
    glossary,
    library,
    search,
    users,
    versions,
    works,
)
from bitext.cli.app import app


def main() -> None:
    app()
