"""``bitext align SRC TGT``: align two plain-text files and print the beads."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bitext.cli.app import app, user_errors
from bitext.core.align.base import Bead, align_document
from bitext.core.align.engine import is_low_confidence, make_aligner
from bitext.core.align.evaluate import format_alignment
from bitext.core.text.decode import decode_text
from bitext.errors import InputError


class Level(StrEnum):
    sentence = "sentence"
    paragraph = "paragraph"


class OutputFormat(StrEnum):
    align = "align"
    tsv = "tsv"
    json = "json"


@app.command("align")
@user_errors
def align_files(
    source: Annotated[Path, typer.Argument(help="The original: UTF-8 text, one unit a line.")],
    target: Annotated[Path, typer.Argument(help="The translation, the same way.")],
    level: Annotated[Level, typer.Option(
        help="sentence: each line is a sentence, already split (blank lines, if both files "
             "have them, separate paragraphs); paragraph: each line is a paragraph.",
    )] = Level.sentence,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="align: [0,1]:[0] per bead; tsv: ids, score and text; json.",
    )] = OutputFormat.align,
    source_language: Annotated[str, typer.Option(help="BCP 47 tag of SRC.")] = "zh-Hans",
    target_language: Annotated[str, typer.Option(help="BCP 47 tag of TGT.")] = "en",
) -> None:
    """Align SRC with TGT and print one bead per line (ids are 0-based line numbers)."""
    source_lines = _read_lines(source)
    target_lines = _read_lines(target)
    aligner = make_aligner(source_language, target_language)
    beads = _align(aligner, source_lines, target_lines, level)
    typer.echo(_render(beads, source_lines, target_lines, output_format), nl=False)


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path.name}: {error.strerror or 'unreadable'}") from None
    return decode_text(data, name=path.name).splitlines()


def _align(aligner, source_lines: list[str], target_lines: list[str], level: Level) -> list[Bead]:
    """Beads over line numbers; blank lines are not units and appear in no bead."""
    source_groups, target_groups = _groups(source_lines), _groups(target_lines)
    if level is Level.sentence and len(source_groups) > 1 and len(target_groups) > 1:
        document = align_document(
            [[source_lines[k] for k in g] for g in source_groups],
            [[target_lines[k] for k in g] for g in target_groups],
            aligner,
        )
        source_ids = [k for g in source_groups for k in g]
        target_ids = [k for g in target_groups for k in g]
        beads = document.sentences
    else:
        source_ids = [k for g in source_groups for k in g]
        target_ids = [k for g in target_groups for k in g]
        beads = aligner.align([source_lines[k] for k in source_ids],
                              [target_lines[k] for k in target_ids])
    return [Bead(tuple(source_ids[i] for i in b.source), tuple(target_ids[j] for j in b.target),
                 b.score) for b in beads]


def _groups(lines: list[str]) -> list[list[int]]:
    """Line numbers of the non-blank lines, grouped by the blank lines between them."""
    groups: list[list[int]] = [[]]
    for number, line in enumerate(lines):
        if line.strip():
            groups[-1].append(number)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _render(beads: list[Bead], source: list[str], target: list[str],
            output_format: OutputFormat) -> str:
    if output_format is OutputFormat.align:
        return format_alignment(beads)
    if output_format is OutputFormat.json:
        return json.dumps([
            {"source": list(b.source), "target": list(b.target), "score": b.score,
             "low_confidence": is_low_confidence(b)}
            for b in beads
        ], ensure_ascii=False, indent=1) + "\n"
    rows = ["source_lines\ttarget_lines\tscore\tsource\ttarget"]
    for b in beads:
        rows.append("\t".join([
            ",".join(map(str, b.source)), ",".join(map(str, b.target)), f"{b.score:.4f}",
            _cell(" ".join(source[i] for i in b.source)),
            _cell(" ".join(target[j] for j in b.target)),
        ]))
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())
