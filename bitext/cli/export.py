"""Commands that take documents out and back in: cite, export, import."""

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from bitext.cli.app import SlugArgument, app, opened_library, user_errors
from bitext.cli.output import controls_note, terminal_safe
from bitext.errors import InputError
from bitext.formats.registry import export_formats, exporter, import_formats


def _listed(names: Iterable[str]) -> str:
    """``a, b or c``: the format names as help text reads them."""
    *rest, last = names
    return f"{', '.join(rest)} or {last}" if rest else last


def _write(chunks: Iterable[bytes], output: Path | None) -> None:
    """Each chunk written as it comes: a library export is never whole in memory."""
    if output is None or str(output) == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return
    try:
        with output.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror}") from None


@app.command()
@user_errors
def cite(
    slug: SlugArgument,
    style: Annotated[str, typer.Option(help="chicago, apa or mla; or bib, ris, json for a "
                                            "reference-manager file.")] = "chicago",
    paragraph: Annotated[int | None, typer.Option(help="Cite this paragraph (its number, "
                                                       "as in #p12).")] = None,
    base_url: Annotated[str | None, typer.Option(
        help="Public address of the library, for the permalink (default: the "
             "public_base_url setting).")] = None,
    library_name: Annotated[str | None, typer.Option(
        help="The library's name in citations (default: the library_name setting).")] = None,
) -> None:
    """Print the citation of a document or of one of its paragraphs."""
    from bitext.services.export import CITATION_FILES, citation_file
    from bitext.services.export import cite as cite_document
    from bitext.settings import Settings

    settings = Settings()
    base_url = (settings.public_base_url if base_url is None else base_url).rstrip("/")
    library_name = library_name or settings.library_name

    with opened_library() as database:
        if style in CITATION_FILES:
            text = citation_file(database, slug, style, paragraph=paragraph,
                                 library_name=library_name, base_url=base_url
                                 ).content.decode("utf-8")
        else:
            text = cite_document(database, slug, style, paragraph=paragraph,
                                 library_name=library_name, base_url=base_url) + "\n"
    sys.stdout.write(terminal_safe(text))
    if not base_url:
        sys.stderr.write("note: the link is relative: set the public_base_url setting "
                         "(BITEXT_PUBLIC_BASE_URL) or pass --base-url for absolute links\n")


@app.command()
@user_errors
def export(
    slug: Annotated[str | None, typer.Argument(help="The document (omit with --all).")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help=f"{_listed(f.name for f in export_formats())}.",
        autocompletion=lambda: [f.name for f in export_formats()])] = "tmx",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="File to write (default: stdout).")] = None,
    all_documents: Annotated[bool, typer.Option("--all", help=(
        "Export every published document into one file ("
        f"{_listed(f.name for f in export_formats() if f.many_documents)}).")
    )] = False,
) -> None:
    """Export a document (or, with --all, the library) as a translation memory or dataset."""
    from bitext.services.export import export_document, export_library, published_slugs

    if all_documents == (slug is not None):
        raise InputError("give either a document slug or --all")
    if exporter(format).binary and output is None:
        raise InputError(f"{format} is binary: give --output FILE")
    with opened_library() as database:
        if slug is not None:  # then not --all
            _write(export_document(database, slug, format).chunks, output)
        else:
            # On stderr: the file may be going to stdout while the bar moves. Shown once
            # export_library has accepted the format, so a refusal stays one clean line.
            progress = Progress(transient=True, console=Console(stderr=True))
            task = progress.add_task("exporting", total=len(published_slugs(database)))
            exported = export_library(
                database, format, lambda s: progress.update(task, advance=1, description=s))
            with progress:
                _write(exported.chunks, output)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)


@app.command("import")
@user_errors
def import_(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    format: Annotated[str, typer.Option(
        "--format", "-f", help=f"{_listed(f.name for f in import_formats())}.",
        autocompletion=lambda: [f.name for f in import_formats()])],
    meta: Annotated[Path | None, typer.Option("--meta", help="Metadata JSON file (as for "
                                              "`bitext add`); needed for TMX and XLIFF "
                                              "from other tools.")] = None,
) -> None:
    """Import an aligned document (TMX, XLIFF, JSONL...), keeping its beads as they are."""
    from bitext.services.importing import import_file

    with opened_library() as database:
        imported = import_file(database, file, format, meta)
    for document in imported:
        print(f"imported {document.slug} ({document.status}): {document.beads} sentence beads"
              f"{controls_note(document.dropped_controls)}")
