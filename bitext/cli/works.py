"""``bitext add-translation WORK VERSION FILE``: another translation of a version of a work,
aligned against that version's original."""

from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import app, opened_library, user_errors
from bitext.services.import_report import alignment_line


@app.command("add-translation")
@user_errors
def add_translation(
    work: Annotated[str, typer.Argument(help="The work's slug.")],
    version: Annotated[str, typer.Argument(help="The version's label.")],
    translation: Annotated[Path, typer.Argument(help="The translation file.")],
    meta: Annotated[Path, typer.Option(
        "--meta", help="Metadata JSON file of the new document (see `bitext schema`); the "
                       "work's title and language fill title_original and "
                       "language_original when left out.")],
    format_name: Annotated[str | None, typer.Option(
        "--format", help="Read the file as docx, pdf, html, markdown or text.")] = None,
    encoding: Annotated[str | None, typer.Option(
        help="Encoding of a text, Markdown or HTML file (default: UTF-8).")] = None,
) -> None:
    """Add a translation of a version of a work, as a new document."""
    from bitext.services.works import add_translation as add

    with opened_library() as database:
        added = add(database, work, version, translation, meta, format_name=format_name,
                    encoding=encoding)
    print(f"added {added.slug} ({added.status}): a translation of version {version} of "
          f"{work}, {added.paragraphs[0]}/{added.paragraphs[1]} paragraphs, "
          f"{added.sentences[0]}/{added.sentences[1]} sentences")
    if added.alignment:
        print(alignment_line(added.alignment))
