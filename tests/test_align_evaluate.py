"""The alignment metric on hand-made cases (vecalign's reading of strict/lax P/R/F1)."""

import pytest

from bitext.core.align.base import Bead
from bitext.core.align.evaluate import (
    coarsen_to_gold,
    format_alignment,
    parse_alignment,
    score_alignment,
    score_alignments,
)
from bitext.errors import InputError

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 3)), ((4,), ())]


def test_identical_alignment_scores_one():
    s = score_alignment(GOLD, GOLD)
    assert (s.precision_strict, s.recall_strict, s.f1_strict) == (1.0, 1.0, 1.0)
    assert (s.precision_lax, s.recall_lax, s.f1_lax) == (1.0, 1.0, 1.0)


def test_gold_null_beads_are_left_out_of_recall_but_test_nulls_count_in_precision():
    # the test misses the gold 1-0 bead (merging it) and adds a 0-1 bead of its own
    test = [((0,), (0,)), ((1, 2), (1,)), ((3, 4), (2, 3)), ((), (4,))]
    gold = [*GOLD, ((), (4,))]
    s = score_alignment(gold, test)
    # precision: 4 test beads; (0)(0), (1,2)(1) and the 0-1 bead are exact -> 3 strict
    assert s.precision_strict == pytest.approx(3 / 4)
    # lax: (3,4)(2,3) overlaps gold (3)(2,3); the null bead matched strictly
    assert s.precision_lax == pytest.approx(1.0)
    # recall: gold beads without nulls: 3; two found exactly, the third overlaps
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)
    assert s.f1_strict == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_a_test_null_bead_is_never_a_lax_hit():
    gold = [((0,), (0, 1))]
    test = [((0,), (0,)), ((), (1,))]
    s = score_alignment(gold, test)
    assert s.precision_strict == 0.0
    assert s.precision_lax == pytest.approx(0.5)  # (0)(0) overlaps; the 0-1 does not
    assert s.recall_strict == 0.0
    assert s.recall_lax == 1.0


def test_overlap_on_one_side_only_is_not_lax():
    gold = [((0,), (0,)), ((1,), (1,))]
    test = [((0,), (1,)), ((1,), (0,))]  # not monotone, but the metric does not care
    s = score_alignment(gold, test)
    assert s.precision_lax == 0.0 and s.recall_lax == 0.0


def test_counts_are_summed_over_documents_before_dividing():
    perfect = [((k,), (k,)) for k in range(9)]
    wrong_gold = [((0,), (0,))]
    wrong_test = [((0,), (1,))]
    s = score_alignments([perfect, wrong_gold], [perfect, wrong_test])
    assert s.precision_strict == pytest.approx(9 / 10)  # not the mean of 1.0 and 0.0


def test_beads_and_pairs_score_the_same():
    beads = [Bead(s, t, 0.5) for s, t in GOLD]
    assert score_alignment(GOLD, beads) == score_alignment(GOLD, GOLD)


def test_empty_test_alignment_scores_zero_without_dividing_by_zero():
    s = score_alignment(GOLD, [])
    assert s.f1_strict == 0.0 and s.f1_lax == 0.0


def test_align_format_round_trips_and_allows_spaces():
    text = format_alignment(GOLD)
    assert text.splitlines()[1] == "[1,2]:[1]"
    assert text.splitlines()[3] == "[4]:[]"
    assert parse_alignment(text) == GOLD
    assert parse_alignment("[0, 1]:[0]\n\n[]:[1]\n") == [((0, 1), (0,)), ((), (1,))]


def test_malformed_align_line_is_an_input_error():
    with pytest.raises(InputError, match="line 2"):
        parse_alignment("[0]:[0]\n[1]-[1]\n")


def test_document_count_mismatch_is_an_input_error():
    with pytest.raises(InputError):
        score_alignments([GOLD], [])


def test_coarsening_merges_finer_beads_inside_a_gold_bead():
    verses = [((0, 1), (0,)), ((2,), (1, 2))]
    finer = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))]
    assert coarsen_to_gold(verses, finer) == verses
    assert score_alignment(verses, coarsen_to_gold(verses, finer)).f1_strict == 1.0


def test_coarsening_keeps_a_bead_that_crosses_a_gold_boundary():
    verses = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    test = [((0,), (0,)), ((1, 2), (1,)), ((), (2,))]
    coarse = coarsen_to_gold(verses, test)
    assert coarse == [((0,), (0,)), ((1, 2), (1,)), ((), (2,))]
    s = score_alignment(verses, coarse)
    assert s.recall_strict == pytest.approx(1 / 3)
