"""``bitext add-translation WORK VERSION FILE``: another translation of a version of a work,
aligned against that version's original."""

from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import app, opened_library, user_errors
from bitext.cli.output import terminal_safe
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


@app.command("work")
@user_errors
def work_command(
    work: Annotated[str, typer.Argument(help="The work's slug.")],
    on: Annotated[str | None, typer.Option(
        "--on", metavar="YYYY-MM-DD",
        help="Print the text in force on this date (with a translation when it has one).")
    ] = None,
) -> None:
    """List a work's versions and translations, or print its text as in force on a date."""
    from bitext.services.reading import EVERY_STATUS
    from bitext.services.work_in_force import text_in_force
    from bitext.services.work_reading import work_view
    from bitext.services.works import parse_date

    with opened_library() as database:
        date = parse_date(on)
        if date is None:
            for version in work_view(database, work, EVERY_STATUS).versions:
                when = version.date.isoformat() if version.date else "undated"
                names = ", ".join(f"{t.slug} ({t.language}, {t.status})"
                                  for t in version.translations) or "no translation"
                print(terminal_safe(f"{version.label}  {when}  {names}"))
            return
        shown = text_in_force(database, work, date, EVERY_STATUS)
    until = f" until {shown.until.isoformat()}" if shown.until else ", the latest version"
    assert shown.version.date is not None  # only dated versions are in force
    print(f"version {shown.version.label}, in force from {shown.version.date.isoformat()}"
          f"{until}")
    if shown.translation is not None:
        print(terminal_safe(f"translation {shown.translation.slug} "
                            f"({shown.translation.language}, {shown.translation.status})"))
    for row in shown.rows:
        print()
        for text in row.original:
            print(terminal_safe(text))
        for texts in row.translations:
            for text in texts:
                print(terminal_safe(f"  {text}"))
