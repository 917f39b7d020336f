"""Commands that search the library: ``bitext search`` and ``bitext concordance``.

Hits are printed with the absolute address of their paragraph, made from the
``public_base_url`` setting (relative, with a note on stderr, when it is not set).
"""

import json
import sys
from typing import Annotated

import typer

from bitext.cli.app import app, opened_library, user_errors
from bitext.cli.output import terminal_safe

Source = Annotated[str | None, typer.Option(help="Only documents from this source.")]
Author = Annotated[str | None, typer.Option(help="Only documents by this author.")]
TagOpt = Annotated[str | None, typer.Option("--tag", help="Only documents with this tag.")]
DateFrom = Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY-MM-DD.")]
DateTo = Annotated[str | None, typer.Option("--to", help="Latest date, YYYY-MM-DD.")]
Side = Annotated[str | None, typer.Option(help="original or translation (default: both).")]
Drafts = Annotated[bool, typer.Option("--drafts", help="Include unpublished documents.")]
Exact = Annotated[bool, typer.Option(
    "--exact", help='Words as written: "national" does not match "nations".')]
Expand = Annotated[bool, typer.Option(
    "--expand", help="For a glossary term (四个意识), also its expansion's parts.")]
InDocument = Annotated[str | None, typer.Option(
    "--document", help="Only this document (its slug).")]


def _permalinks():
    """(slug, row) -> the row's address under ``public_base_url``; says on stderr when the
    setting is not set (the addresses are then relative)."""
    from bitext.core.cite.record import permalink
    from bitext.settings import Settings

    base = Settings().public_base_url.rstrip("/")
    if not base:
        sys.stderr.write("note: links are relative: set the public_base_url setting "
                         "(BITEXT_PUBLIC_BASE_URL) for absolute links\n")

    def row_link(slug: str, row: int | None) -> str:
        return permalink(slug, row or None, base)

    return row_link


@app.command("search")
@user_errors
def search_command(
    query: Annotated[str, typer.Argument(help='Words or a "quoted phrase", either language.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Number of hits.")] = 20,
    page: Annotated[int, typer.Option(min=1, help="Page of hits.")] = 1,
    source: Source = None, author: Author = None, tag: TagOpt = None,
    date_from: DateFrom = None, date_to: DateTo = None, side: Side = None,
    drafts: Drafts = False, exact: Exact = False, document: InDocument = None,
    expand: Expand = False,
) -> None:
    """Search both languages; show each hit with its aligned sentence and permalink.
    Words in both languages find aligned pairs, each language on its own side."""
    from bitext.services.search import filters_from_text, plain, search

    filters = filters_from_text(source, author, tag, date_from, date_to, side,
                                include_drafts=drafts, document=document, exact=exact)
    with opened_library() as database:
        results = search(database, query, filters, page=page, per_page=limit,
                         include_expansions=expand)
    permalink = _permalinks()
    if as_json:
        data = plain(results)
        for hit in data["hits"] + [h for e in data["expansions"] for h in e["hits"]]:
            hit["url"] = permalink(hit["slug"], hit["row"])
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    more = "+" if results.total_is_capped else ""
    print(f"{results.total}{more} matching {'aligned pairs' if results.pairs else 'sentences'}")
    if results.past_end:
        print(f"page {results.page} is past the end: there are {results.pages} pages")
    for hit in results.hits:
        _print_hit(hit, permalink)
    for expansion in results.expansions:
        more = "+" if expansion.total_is_capped else ""
        print(f"\n== {terminal_safe(expansion.part)}: {expansion.total}{more} matching sentences")
        for hit in expansion.hits:
            _print_hit(hit, permalink)


def _bracketed(pieces) -> str:
    """A hit's text with each match in [brackets], safe for the terminal."""
    return terminal_safe("".join(f"[{p}]" if m else p for p, m in pieces))


def _print_hit(hit, permalink) -> None:
    marked = _bracketed(hit.pieces())
    where = f"({hit.date or 'no date'}, {hit.side})"
    print(f"\n{permalink(hit.slug, hit.row)}  {terminal_safe(hit.title)} {where}")
    print(f"  {marked}")
    if hit.aligned_text:
        print(f"  = {_bracketed(hit.aligned_pieces())}")


@app.command("concordance")
@user_errors
def concordance_command(
    term: Annotated[str, typer.Argument(help='A word or a "quoted phrase", either language.')],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (all lines).")] = False,
    sort: Annotated[str, typer.Option(help="date, -date, left or right.")] = "date",
    limit: Annotated[int, typer.Option(min=1, help="Lines to show (without --csv).")] = 50,
    source: Source = None, author: Author = None, tag: TagOpt = None,
    date_from: DateFrom = None, date_to: DateTo = None, side: Side = None,
    drafts: Drafts = False, exact: Exact = False, document: InDocument = None,
    expand: Expand = False,
) -> None:
    """Every occurrence of a term with its context and aligned sentence (KWIC)."""
    from bitext.services.search import concordance, concordance_csv, filters_from_text

    filters = filters_from_text(source, author, tag, date_from, date_to, side,
                                include_drafts=drafts, document=document, exact=exact)
    with opened_library() as database:
        result = concordance(database, term, filters, sort=sort, per_page=0 if as_csv else limit,
                             include_expansions=expand)
    permalink = _permalinks()
    if as_csv:
        sys.stdout.write(concordance_csv(result, permalink))
        return
    print(f"{result.total} occurrences" + (" (first sentences only)" if result.truncated else ""))
    for line in result.lines:
        left, match, right = (terminal_safe(t) for t in (line.left[-40:], line.match,
                                                         line.right[:40]))
        print(f"{left:>40} [{match}] {right:<40}  {permalink(line.slug, line.row)}")
        if line.aligned_text:
            print(f"{'':>40}   = {terminal_safe(line.aligned_text[:100])}")
