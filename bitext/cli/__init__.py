"""Command-line interface: ``bitext COMMAND``. Each command parses, calls a service, prints."""

from bitext.cli import align, export, library, search, users  # noqa: F401  (registers commands)
from bitext.cli.app import app


def main() -> None:
    app()
