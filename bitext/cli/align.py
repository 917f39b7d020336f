"""``bitext align SRC TGT``: align two plain-text files and print the beads; with
``--batch``, align many pairs on Dask, one file of beads per pair."""

from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import app, user_errors
from bitext.cli.batch import SchedulerOption, WorkersOption
from bitext.core.align.engine import make_aligner
from bitext.core.text.decode import decode_text
from bitext.errors import InputError
from bitext.services.line_alignment import Level, OutputFormat, align_lines, render_beads


@app.command("align")
@user_errors
def align_files(
    source: Annotated[Path | None, typer.Argument(
        help="The original: UTF-8 text, one unit a line.")] = None,
    target: Annotated[Path | None, typer.Argument(help="The translation, the same way.")] = None,
    level: Annotated[Level, typer.Option(
        help="sentence: each line is a sentence, already split (blank lines, if both files "
             "have them, separate paragraphs); paragraph: each line is a paragraph.",
    )] = Level.sentence,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="align: [0,1]:[0] per bead; tsv: ids, score and text; json.",
    )] = OutputFormat.align,
    source_language: Annotated[str, typer.Option(help="BCP 47 tag of SRC.")] = "zh-Hans",
    target_language: Annotated[str, typer.Option(help="BCP 47 tag of TGT.")] = "en",
    batch: Annotated[Path | None, typer.Option(
        help="Instead of SRC and TGT: a LIST.tsv of file pairs or a directory of pair "
             "folders (see README), aligned on Dask in one run; re-running resumes.")] = None,
    output_dir: Annotated[Path | None, typer.Option(
        help="With --batch: where each pair's beads go, as NAME.align (.tsv, .json).")] = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Align SRC with TGT and print one bead per line (ids are 0-based line numbers)."""
    if batch is not None:
        from bitext.cli.batch import align_batch

        align_batch(batch, output_dir, level, output_format, source_language, target_language,
                    scheduler, workers)
        return
    if source is None or target is None:
        raise InputError("give SRC and TGT, or --batch LIST.tsv or DIR")
    source_lines = _read_lines(source)
    target_lines = _read_lines(target)
    aligner = make_aligner(source_language, target_language)
    beads = align_lines(aligner, source_lines, target_lines, level)
    typer.echo(render_beads(beads, source_lines, target_lines, output_format,
                            (source_language, target_language)), nl=False)


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path.name}: {error.strerror or 'unreadable'}") from None
    return decode_text(data, name=path.name).splitlines()
