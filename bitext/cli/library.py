"""Commands that manage and serve the library: add, publish, schema, serve, demo."""

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bitext.cli.app import SlugArgument, app, opened_library, user_errors
from bitext.cli.batch import SchedulerOption, WorkersOption
from bitext.cli.output import controls_note, terminal_safe
from bitext.core.metadata import DocumentMetadata
from bitext.errors import InputError

console = Console(stderr=True)
ForwardedAllowIps = Annotated[str | None, typer.Option(
    help="Comma-separated addresses of reverse proxies whose X-Forwarded-For and "
         "X-Forwarded-Proto headers are believed (default: the forwarded_allow_ips "
         "setting: none).")]


@app.command()
@user_errors
def add(
    original: Annotated[Path | None, typer.Argument(
        help="The original (DOCX, PDF, HTML, Markdown or text), or one bilingual file.")
                        ] = None,
    meta: Annotated[Path | None, typer.Option(
        "--meta", help="Metadata JSON file (see `bitext schema`).")] = None,
    translation: Annotated[Path | None, typer.Argument(
        help="The translation; leave out for a bilingual file.")] = None,
    format_name: Annotated[str | None, typer.Option(
        "--format", help="Read the files as docx, pdf, html, markdown or text, whatever "
                         "their content and names say.")] = None,
    encoding: Annotated[str | None, typer.Option(
        help="Encoding of text, Markdown or HTML files, e.g. gb18030 or big5 (default: UTF-8; "
             "an HTML page's own declaration).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would be imported and what left out; write nothing.")
                       ] = False,
    batch: Annotated[Path | None, typer.Option(
        help="Instead of the files: a directory of pair folders (meta.json, original.txt, "
             "translation.txt; see README), aligned on Dask and added; re-running "
             "resumes.")] = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    work: Annotated[str | None, typer.Option(
        help="File the document under this work (its slug; created if new) as a "
             "translation of --version; without TRANSLATION, add the version's original "
             "alone.")] = None,
    version: Annotated[str | None, typer.Option(
        help="The version of the work's original, e.g. 2018 (with --work).")] = None,
    date: Annotated[str | None, typer.Option(
        help="The version's date, YYYY-MM-DD (with --work, for a new version).")] = None,
) -> None:
    """Import a document and its translation (or one bilingual file): read, segment, align
    and store them. With --work and --version, file it under a version of a work."""
    from rich.progress import Progress

    if batch is not None:
        from bitext.cli.batch import add_batch

        add_batch(batch, encoding or "utf-8", scheduler, workers)
        return
    if original is None or meta is None:
        raise InputError("give ORIGINAL (and TRANSLATION) and --meta FILE, or --batch DIR")
    place = _version_place(work, version, date)
    if place is not None and translation is None:
        from bitext.services.works import add_version_text

        if dry_run:
            print("dry run: nothing written")
            return
        with opened_library() as database:
            count = add_version_text(database, place, original, meta,
                                     format_name=format_name, encoding=encoding)
            print(f"added version {place.label} of {place.work}: {count} paragraphs")
            from bitext.cli.carry_forward import print_drafts
            from bitext.services.carry_forward import carry_forward_drafts

            print_drafts(carry_forward_drafts(database, place.work, place.label))
        return

    from bitext.services.file_import import add_from_files, prepare_import
    from bitext.services.import_report import alignment_line, layout_line, side_line

    prepared = prepare_import(original, translation, meta, format_name=format_name,
                              encoding=encoding)
    for side, report in zip(("original", "translation"), prepared.sides, strict=True):
        print(terminal_safe(side_line(side, report.as_dict())))
    layout = layout_line(prepared.report())
    if layout:
        print(layout)
    if dry_run:
        print("dry run: nothing written")
        return
    with (opened_library() as database,
          Progress(console=console, transient=True, disable=not console.is_terminal) as bar):
        task = bar.add_task("reading", total=None)

        def show(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        if place is None:
            added = add_from_files(database, prepared, progress=show)
        else:
            from bitext.services.works import add_to_work

            added = add_to_work(database, prepared, place, progress=show)
    print(
        f"added {added.slug} ({added.status}): {added.paragraphs[0]}/{added.paragraphs[1]} "
        f"paragraphs, {added.sentences[0]}/{added.sentences[1]} sentences"
        f"{controls_note(added.dropped_controls)}"
    )
    if added.alignment:
        print(alignment_line(added.alignment))
    if place is not None:
        print(f"filed under version {place.label} of {place.work}")
    if added.status == "draft":
        print(f"publish it with: bitext publish {added.slug}")


def _version_place(work: str | None, version: str | None, date: str | None):
    """The --work/--version/--date options, checked; None when not filing under a work."""
    if work is None and version is None and date is None:
        return None
    if work is None or version is None:
        raise InputError("--work and --version go together (and --date with them)")
    from bitext.services.works import VersionPlace, parse_date

    return VersionPlace(work, version, parse_date(date))


@app.command()
@user_errors
def publish(
    slug: SlugArgument,
    draft: Annotated[bool, typer.Option(help="Unpublish instead.")] = False,
    despite_findings: Annotated[bool, typer.Option(
        "--despite-findings",
        help="Publish although translation checks have open findings (see bitext qa); "
             "needs --note.")] = False,
    note: Annotated[str, typer.Option(
        help="Why the document is published with open findings (kept in the audit log)."
    )] = "",
):
    """Make a document visible to readers (or, with --draft, hide it again). A document
    with open translation-check findings is published only with --despite-findings and a
    --note."""
    from bitext.services.library import set_status

    with opened_library() as database:
        set_status(database, slug, "draft" if draft else "published",
                   despite_findings=despite_findings, note=note)
    print(f"{slug}: {'draft' if draft else 'published'}")


@app.command()
def schema() -> None:
    """Print the JSON schema of the metadata file."""
    print(json.dumps(DocumentMetadata.model_json_schema(), ensure_ascii=False, indent=2))


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    forwarded_allow_ips: ForwardedAllowIps = None,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes (each with its own database connections).")] = 1,
) -> None:
    """Serve an existing library on the web."""
    with opened_library() as database:
        _serve(database, host, port, forwarded_allow_ips, workers)


def _load_samples(database) -> None:
    """Import and align the samples the library lacks; the first run takes a while, so a
    progress bar advances per document."""
    from rich.progress import MofNCompleteColumn, Progress

    from bitext.services.demo import demo_folders, load_demo

    columns = (*Progress.get_default_columns(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("sample documents", total=len(demo_folders()))

        def advance(slug: str, is_new: bool) -> None:
            if is_new:
                progress.console.print(f"added {slug}", highlight=False)
            progress.advance(task)

        load_demo(database, advance)


@app.command()
@user_errors
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    forwarded_allow_ips: ForwardedAllowIps = None,
) -> None:
    """Load the sample documents (once) and serve the library in a browser.

    The demo has no editor account. To try the editors' pages
    (error reports, corrections, the metadata editor, web import),
    add one with `bitext user add NAME` in another terminal, then log in at /login."""
    with opened_library() as database:
        _load_samples(database)
        console.print(f"library: {database.url.render_as_string(hide_password=True)}")
        console.print(f"editors: add an account with `bitext user add NAME`, then log in at "
                      f"http://{host}:{port}/login", highlight=False)
        _serve(database, host, port, forwarded_allow_ips)


def _serve(database, host: str, port: int, forwarded_allow_ips: str | None,
           workers: int = 1) -> None:
    """uvicorn believes proxy headers only from the configured proxies: by default it
    would take X-Forwarded-For from any local process, which could then pick the client
    address that rate limits count."""
    import uvicorn

    from bitext.settings import Settings
    from bitext.web.app import create_app

    settings = Settings()
    if forwarded_allow_ips is not None:
        settings = settings.model_copy(
            update={"forwarded_allow_ips": Settings.comma_separated(forwarded_allow_ips)})
    proxies = settings.forwarded_allow_ips
    console.print(f"serving at http://{host}:{port}/  ({workers} worker"
                  f"{'s' if workers > 1 else ''}; Ctrl+C to stop)")
    if workers > 1:  # each worker process builds the app from the environment
        if database.url.password is None:  # a --db file or the default one: nothing secret
            os.environ["BITEXT_DATABASE_URL"] = database.url.render_as_string()
        # else the URL came from BITEXT_DATABASE_URL (no other setting holds a password),
        # which the workers inherit as it is: the password goes nowhere it was not already
        if forwarded_allow_ips is not None:
            os.environ["BITEXT_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
        uvicorn.run("bitext.web.asgi:app_from_environment", factory=True, workers=workers,
                    host=host, port=port, log_level="warning", proxy_headers=bool(proxies),
                    forwarded_allow_ips=proxies or None)
        return
    uvicorn.run(create_app(database, settings=settings), host=host, port=port,
                log_level="warning", proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)





@app.command()
@user_errors
def doctor(
    strict: Annotated[bool, typer.Option(help="Exit with status 1 if any check fails.")] = False,
) -> None:
    """Check the library: file integrity, pragmas, search index, revisions, alignments."""
    from bitext.services.doctor import check_library

    with opened_library() as database:
        findings = check_library(database)
    for finding in findings:
        print(f"{'ok  ' if finding.ok else 'FAIL'}  {finding.check}: {finding.detail}")
    if strict and not all(f.ok for f in findings):
        raise typer.Exit(1)
