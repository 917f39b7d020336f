"""Aligning two texts given one unit a line, and writing the beads out: what ``bitext
align`` does for one pair of files and what a batch worker does for each of many.

Imports only ``core``, so a Dask worker can run it without the store or the web.
"""

import json
from enum import StrEnum

from bitext.core.align.base import Aligner, Bead, align_document
from bitext.core.align.confidence import BeadText, bead_confidences, is_uncertain
from bitext.core.align.evaluate import format_alignment


class Level(StrEnum):
    sentence = "sentence"
    paragraph = "paragraph"


class OutputFormat(StrEnum):
    align = "align"
    tsv = "tsv"
    json = "json"


def align_lines(aligner: Aligner, source_lines: list[str], target_lines: list[str],
                level: Level) -> list[Bead]:
    """Beads over line numbers; blank lines are not units and appear in no bead."""
    source_groups, target_groups = _groups(source_lines), _groups(target_lines)
    source_ids = [k for g in source_groups for k in g]
    target_ids = [k for g in target_groups for k in g]
    if level is Level.sentence and len(source_groups) > 1 and len(target_groups) > 1:
        beads = align_document(
            [[source_lines[k] for k in g] for g in source_groups],
            [[target_lines[k] for k in g] for g in target_groups],
            aligner,
        ).sentences
    else:
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


def render_beads(beads: list[Bead], source: list[str], target: list[str],
                 output_format: OutputFormat, languages: tuple[str, str]) -> str:
    """align: ``[0,1]:[0]`` per bead; tsv: ids, score and text; json: ids, score, the
    calibrated confidence and its flag (the reader's rule: ``confidence.is_uncertain``)."""
    if output_format is OutputFormat.align:
        return format_alignment(beads)
    if output_format is OutputFormat.json:
        confidences = bead_confidences(
            [BeadText([source[i] for i in b.source], [target[j] for j in b.target], b.score)
             for b in beads], *languages)
        return json.dumps([
            {"source": list(b.source), "target": list(b.target), "score": b.score,
             "confidence": p, "low_confidence": is_uncertain(p, confirmed=False)}
            for b, p in zip(beads, confidences, strict=True)
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
