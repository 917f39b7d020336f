"""``bitext align --batch`` and ``bitext add --batch``: the options they share, a progress
bar (pairs done, sentences per second, time left) and the closing report.

Dask loads only when a batch runs, so other commands start as fast as before.
"""

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bitext.cli.output import terminal_safe

if TYPE_CHECKING:
    from bitext.services.batch import BatchProgress, BatchReport
    from bitext.services.line_alignment import Level, OutputFormat

console = Console(stderr=True)

SchedulerOption = Annotated[str | None, typer.Option(
    help="With --batch: the Dask scheduler of an existing cluster, tcp://HOST:PORT "
         "(default: a local cluster sized to this machine).")]
WorkersOption = Annotated[int | None, typer.Option(
    help="With --batch and no --scheduler: local workers (default: one per CPU).")]


def align_batch(batch: Path, output_dir: Path | None, level: "Level",
                output_format: "OutputFormat", source_language: str, target_language: str,
                scheduler: str | None, workers: int | None) -> None:
    from bitext.errors import InputError
    from bitext.services.batch_align import LineOptions
    from bitext.services.batch_align import align_batch as run

    if output_dir is None:
        raise InputError("align --batch writes one file per pair: give --output-dir DIR")
    options = LineOptions(level, output_format, source_language, target_language)
    with progress_bar() as progress:
        report = run(batch, output_dir, options, scheduler=scheduler, workers=workers,
                     progress=progress)
    finish(report, "aligned")


def add_batch(batch: Path, encoding: str, scheduler: str | None, workers: int | None) -> None:
    from bitext.cli.app import opened_library
    from bitext.services.batch_add import add_batch as run

    with opened_library() as database, progress_bar() as progress:
        report = run(database, batch, encoding=encoding, scheduler=scheduler,
                     workers=workers, progress=progress)
    finish(report, "added")


@contextmanager
def progress_bar() -> Iterator["BatchProgress"]:
    """A bar of pairs done with sentences per second and the time left (on a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("pairs"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TextColumn("eta"), TimeRemainingColumn())
    started = time.monotonic()
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("pairs", total=None, rate="")

        def show(done: int, total: int, sentences: int) -> None:
            seconds = max(time.monotonic() - started, 1e-9)
            bar.update(task, completed=done, total=total,
                       rate=f"{sentences / seconds:,.0f} sentences/s")

        yield show


def finish(report: "BatchReport", verb: str) -> None:
    """The summary on stdout, one line per failed pair on stderr; exit status 1 when a
    pair failed (the others are written all the same)."""
    rate = report.sentences / report.seconds if report.seconds else 0.0
    plural = "s" if report.aligned != 1 else ""
    print(f"{verb} {report.aligned} pair{plural} ({report.sentences:,} sentences, "
          f"{rate:,.0f}/s) in "
          f"{report.seconds:.1f} s; {report.already_done} already done; "
          f"{len(report.failures)} failed")
    for failure in report.failures:
        print(f"failed {terminal_safe(failure.name)}: {terminal_safe(failure.message)}",
              file=sys.stderr)
    if report.failures:
        raise typer.Exit(1)

