"""``bitext glossary import | export | list`` and ``bitext qa SLUG``: the terminology of
the library and the translation checks."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import CommandsTakingDb, SlugArgument, app, opened_library, user_errors
from bitext.cli.output import terminal_safe

glossary = CommandsTakingDb(help="The glossary of formulations: import, export, list.",
                            no_args_is_help=True)
app.add_typer(glossary, name="glossary")

FormatOption = Annotated[str | None, typer.Option(
    "--format", help="jsonl, csv or tbx (default: from the file name).")]


@glossary.command("import")
@user_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="A glossary file: JSONL, CSV or TBX.")],
    file_format: FormatOption = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with each revision).")] = None,
) -> None:
    """Add the file's entries; an entry that differs from the stored one becomes a new
    revision of it."""
    from bitext.services.glossary import import_glossary_file
    from bitext.settings import Settings

    with opened_library() as database:
        report = import_glossary_file(database, file, file_format,
                                      max_bytes=Settings().import_max_bytes, note=note)
    print(f"{report.added} added, {report.revised} revised, {report.unchanged} unchanged")


@glossary.command("export")
@user_errors
def export_command(
    file_format: Annotated[str, typer.Option("--format", help="tbx, jsonl or csv.")] = "tbx",
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="File to write (default: stdout).")] = None,
) -> None:
    """Write the current entries as TBX (ISO 30042), JSONL or CSV."""
    from bitext.services.glossary import export_glossary

    with opened_library() as database:
        data = export_glossary(database, file_format)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)


@glossary.command("list")
@user_errors
def list_command() -> None:
    """Every term with its canonical rendering and its occurrences in the published
    library."""
    from bitext.services.glossary import glossary_index

    with opened_library() as database:
        summaries = glossary_index(database)
    for summary in summaries:
        entry = summary.entry
        print(terminal_safe(f"{entry.term}\t{entry.canonical}\t{summary.occurrences}"))


@app.command("qa")
@user_errors
def qa_command(
    slug: SlugArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Translation checks of one document: terminology, numbers and dates, omissions and
    additions, consistency; findings per aligned row."""
    from bitext.services.qa import plain_report, run_checks

    with opened_library() as database:
        report = run_checks(database, slug)
    if as_json:
        print(json.dumps(plain_report(report), ensure_ascii=False, indent=2))
        return
    print(f"{report.slug}: {len(report.findings)} findings "
          f"({report.dismissed} dismissed), {report.rows} aligned rows checked")
    for finding in report.findings:
        print(terminal_safe(f"row {finding.row + 1}\t{finding.kind}\t{finding.message}"))
