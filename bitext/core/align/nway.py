"""Several translations of one original, aligned with each other through the original.

Each translation is aligned to the original on its own (two-way beads). To show them side
by side, rows must cut the original where every alignment cuts it: a row is the smallest
run of original segments that no translation's bead crosses. Each translation's beads then
fall wholly inside one row. A bead with no original segment (a translator's addition) goes
to the row of the original segment just before it, or the first row when it comes first.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from bitext.core.align.base import Bead
from bitext.errors import InputError


@dataclass(frozen=True)
class NWayRow:
    """Original segment positions, and for each translation (in the order given) its
    segment positions in this row."""

    original: tuple[int, ...]
    translations: tuple[tuple[int, ...], ...]


def align_through_original(alignments: Sequence[Sequence[Bead]],
                           original_count: int) -> list[NWayRow]:
    """One row per common cut of the original, each translation's segments placed in it."""
    if not alignments:
        raise InputError("at least one translation is needed")
    for beads in alignments:
        _check_covers_original(beads, original_count)
    cuts = set.intersection(*(_cuts(beads) for beads in alignments)) | {original_count}
    row_of = _row_index(sorted(cuts), original_count)
    row_count = len(cuts) if original_count else 1
    originals: list[list[int]] = [[] for _ in range(row_count)]
    for position in range(original_count):
        originals[row_of[position]].append(position)
    placed = [_place(beads, row_of, row_count) for beads in alignments]
    return [
        NWayRow(tuple(originals[r]), tuple(tuple(rows[r]) for rows in placed))
        for r in range(row_count)
    ]


def _cuts(beads: Sequence[Bead]) -> set[int]:
    """Original positions before which this alignment starts a new bead."""
    return {bead.source[-1] + 1 for bead in beads if bead.source}


def _row_index(cuts: list[int], original_count: int) -> list[int]:
    rows, row, next_cut = [], 0, iter(c for c in cuts if c > 0)
    boundary = next(next_cut, original_count)
    for position in range(original_count):
        if position == boundary:
            row += 1
            boundary = next(next_cut, original_count)
        rows.append(row)
    return rows


def _place(beads: Sequence[Bead], row_of: list[int], row_count: int) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(row_count)]
    current = 0
    for bead in beads:
        if bead.source:
            current = row_of[bead.source[0]]
        rows[current].extend(bead.target)
    return rows


def _check_covers_original(beads: Sequence[Bead], original_count: int) -> None:
    seen = [i for bead in beads for i in bead.source]
    if seen != list(range(original_count)):
        raise InputError("an alignment must cover every original segment once, in order")
