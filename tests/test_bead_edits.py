"""Bead edits are pure list work: properties over random monotone alignments."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.align.bead_edits import OPERATIONS, EditableBead, edit_beads
from bitext.errors import InputError


@st.composite
def alignments(draw) -> list[EditableBead]:
    """A monotone alignment of 0..n-1 with 0..m-1: every position in exactly one bead, in
    order; a bead may have one empty side (an omission) but never two."""
    sizes = draw(st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda s: s != (0, 0)),
        min_size=1, max_size=8,
    ))
    beads, source, target = [], 0, 0
    for n, m in sizes:
        beads.append(EditableBead(tuple(range(source, source + n)),
                                  tuple(range(target, target + m)),
                                  draw(st.floats(-1, 1)), draw(st.booleans())))
        source, target = source + n, target + m
    return beads


edits = st.fixed_dictionaries({
    "position": st.integers(-1, 9),
    "operation": st.sampled_from(OPERATIONS),
    "side": st.sampled_from(("original", "translation")),
    "source_count": st.integers(-1, 4),
    "target_count": st.integers(-1, 4),
})


def _sides(beads):
    return ([i for b in beads for i in b.source], [j for b in beads for j in b.target])


@given(alignments(), edits)
def test_an_edit_never_loses_duplicates_or_reorders_a_segment(beads, edit):
    before = list(beads)
    try:
        after = edit_beads(beads, **edit)
    except InputError:
        assert beads == before  # a refused edit changes nothing
        return
    assert beads == before  # the given list is left alone
    assert _sides(after) == _sides(before)
    assert all(b.source or b.target for b in after)


@given(alignments(), edits)
def test_an_edit_touches_only_the_bead_and_its_neighbour(beads, edit):
    try:
        after = edit_beads(beads, **edit)
    except InputError:
        return
    position = edit["position"]
    assert after[:position] == beads[:position]
    reach = 1 if edit["operation"] in ("confirm", "split") else 2
    grown = len(after) - len(beads)
    assert after[position + reach + grown:] == beads[position + reach:]
    assert all(b.confirmed for b in after[position:position + reach + grown])


@given(alignments())
def test_merge_then_split_restores_the_boundary(beads):
    if len(beads) < 2:
        return
    first = beads[0]
    merged = edit_beads(beads, 0, "merge")
    again = edit_beads(merged, 0, "split", source_count=len(first.source),
                       target_count=len(first.target))
    assert [(b.source, b.target) for b in again] == [(b.source, b.target) for b in beads]


@given(alignments(), st.sampled_from(("original", "translation")))
def test_move_forward_then_backward_is_no_change_in_segments(beads, side):
    key = "source" if side == "original" else "target"
    if len(beads) < 2 or not getattr(beads[0], key):
        return
    moved = edit_beads(beads, 0, "move-forward", side=side)
    if len(moved) < len(beads):
        return  # the first bead was emptied and went: there is no boundary to move back
    back = edit_beads(moved, 0, "move-backward", side=side)
    assert [(b.source, b.target) for b in back] == [(b.source, b.target) for b in beads]


@pytest.mark.parametrize(("beads", "edit", "message"), [
    ([EditableBead((0,), (0,))], {"operation": "merge"}, "there is no next bead"),
    ([EditableBead((0,), (0,))], {"operation": "split", "source_count": 1,
                                  "target_count": 1}, "something on both sides"),
    ([EditableBead((0,), (0,))], {"operation": "split", "source_count": 2}, "cannot split"),
    ([EditableBead((), (0,)), EditableBead((0,), (1,))],
     {"operation": "move-forward", "side": "original"}, "nothing to move"),
    ([EditableBead((0,), (0,))], {"operation": "rotate"}, "operation must be one of"),
    ([EditableBead((0,), (0,))], {"operation": "confirm", "position": 1}, "no such bead"),
])
def test_impossible_edits_are_refused_in_one_line(beads, edit, message):
    with pytest.raises(InputError, match=message):
        edit_beads(beads, **{"position": 0, **edit})
