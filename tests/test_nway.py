"""Aligning several translations through their original: nothing lost, duplicated or
reordered, and rows no coarser than the translations' own beads make them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.align.base import Bead
from bitext.core.align.nway import NWayRow, align_through_original
from bitext.errors import InputError


@st.composite
def alignment_of(draw, original_count: int) -> list[Bead]:
    """A random monotone alignment of ``original_count`` original segments to a translation."""
    beads, source, target = [], 0, 0
    while source < original_count or draw(st.booleans()) and len(beads) < 3:
        take = draw(st.integers(0 if source < original_count else 0,
                                min(3, original_count - source)))
        give = draw(st.integers(0 if take else 1, 3))
        beads.append(Bead(tuple(range(source, source + take)),
                          tuple(range(target, target + give))))
        source, target = source + take, target + give
    return beads


@st.composite
def alignments(draw) -> tuple[int, list[list[Bead]]]:
    original_count = draw(st.integers(0, 12))
    count = draw(st.integers(1, 3))
    return original_count, [draw(alignment_of(original_count)) for _ in range(count)]


@given(alignments())
def test_every_segment_is_in_exactly_one_row_in_order(case):
    original_count, beads = case
    rows = align_through_original(beads, original_count)
    assert [i for row in rows for i in row.original] == list(range(original_count))
    for k, alignment in enumerate(beads):
        targets = [j for bead in alignment for j in bead.target]
        assert [j for row in rows for j in row.translations[k]] == targets


@given(alignments())
def test_no_bead_of_any_translation_is_split_across_rows(case):
    original_count, beads = case
    rows = align_through_original(beads, original_count)
    for k, alignment in enumerate(beads):
        row_of_target = {j: r for r, row in enumerate(rows) for j in row.translations[k]}
        row_of_original = {i: r for r, row in enumerate(rows) for i in row.original}
        for bead in alignment:
            bead_rows = {row_of_original[i] for i in bead.source} | {
                row_of_target[j] for j in bead.target}
            assert len(bead_rows) <= 1


@given(alignments())
def test_rows_cut_wherever_all_translations_cut(case):
    """Minimal rows: a row's original segments are crossed by some bead at every inner gap."""
    original_count, beads = case
    rows = align_through_original(beads, original_count)
    ends = [{b.source[-1] + 1 for b in alignment if b.source} for alignment in beads]
    for row in rows:
        for gap in row.original[1:]:
            assert any(gap not in e for e in ends)


def test_two_translations_that_group_differently_share_the_coarser_row():
    one_to_one = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    merged = [Bead((0, 1), (0,)), Bead((2,), (1,)), Bead((), (2,))]
    assert align_through_original([one_to_one, merged], 3) == [
        NWayRow((0, 1), ((0, 1), (0,))),
        NWayRow((2,), ((2,), (1, 2))),
    ]


def test_an_alignment_that_skips_an_original_segment_is_refused():
    with pytest.raises(InputError, match="every original segment once"):
        align_through_original([[Bead((0,), (0,)), Bead((2,), (1,))]], 3)
