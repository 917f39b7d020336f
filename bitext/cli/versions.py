"""``bitext diff OLD NEW`` (two files) or ``bitext diff WORK V1 V2`` (two versions of a work
in the library): what changed between two versions of an original, provision by provision
(changed, added, removed, moved), with the changed words marked."""

import json
from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import app, opened_library, user_errors
from bitext.cli.output import terminal_safe
from bitext.core.versions.diff import Operation

_EXCERPT = 60
_CONTEXT = 12


def _inline(op: Operation) -> str:
    """Deletions as [-…-] and insertions as {+…+}, as wdiff prints them, with a little of the
    unchanged text around each; long unchanged stretches are cut to …."""
    pieces = []
    last = len(op.marks) - 1
    for k, mark in enumerate(op.marks):
        if mark.tag == "equal":
            head = mark.new[:_CONTEXT] if k else ""
            tail = mark.new[-_CONTEXT:] if k < last else ""
            keep = len(head) + len(tail) < len(mark.new)
            pieces.append(f"{head}…{tail}" if keep else mark.new)
            continue
        if mark.old:
            pieces.append(f"[-{mark.old}-]")
        if mark.new:
            pieces.append(f"{{+{mark.new}+}}")
    return "".join(pieces).replace("\n", " / ")


def _excerpt(body: str) -> str:
    flat = body.replace("\n", " / ")
    return flat if len(flat) <= _EXCERPT else flat[:_EXCERPT] + "…"


def _line(op: Operation) -> str:
    old, new = op.old, op.new
    if op.kind == "added" and new:
        return f"added    {new.label}  {_excerpt(new.body)}"
    if op.kind == "removed" and old:
        return f"removed  {old.label}  {_excerpt(old.body)}"
    if op.kind == "moved" and old and new:
        moved = f"moved    {old.label} -> {new.label}"
        return f"{moved}  {_inline(op)}" if op.text_changed else moved
    assert new is not None
    return f"changed  {new.label}  {_inline(op)}"


@app.command("diff")
@user_errors
def diff(
    first: Annotated[str, typer.Argument(metavar="OLD|WORK",
                                         help="The older file, or a work's slug.")],
    second: Annotated[str, typer.Argument(metavar="NEW|V1",
                                          help="The newer file, or the older version.")],
    third: Annotated[str | None, typer.Argument(metavar="[V2]",
                                                help="With a work: the newer version.")
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Every operation as JSON, "
                                                         "unchanged ones too.")] = False,
    encoding: Annotated[str, typer.Option(help="Encoding of both files.")] = "utf-8",
) -> None:
    """Compare two versions of an original text, provision by provision: two files, or
    two versions of a work in the library."""
    if third is None:
        from bitext.services.versions import diff_files

        ops = diff_files(Path(first), Path(second), encoding)
    else:
        from bitext.services.works import diff_work

        with opened_library() as database:
            ops = diff_work(database, first, second, third)
    from bitext.services.work_reading import operation_counts

    counts = operation_counts(ops)
    if as_json:
        typer.echo(json.dumps({"operations": [op.as_dict() for op in ops],
                               "counts": {kind: n for kind, n in counts.items() if n}},
                              ensure_ascii=False, indent=1))
        return
    for op in ops:
        if op.kind != "unchanged":
            typer.echo(terminal_safe(_line(op)))
    typer.echo(", ".join(f"{n} {kind}" for kind, n in counts.items()))
