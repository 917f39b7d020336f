"""The length-based baseline aligner: a monotone cover, and not index-by-index."""

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.align.length import GaleChurchAligner


def assert_monotone_cover(beads, n, m):
    sources = [i for b in beads for i in b.source]
    targets = [j for b in beads for j in b.target]
    assert sources == list(range(n)) and targets == list(range(m))


@given(st.lists(st.text(max_size=40), max_size=15), st.lists(st.text(max_size=40), max_size=15))
def test_every_segment_in_exactly_one_bead_in_order(source, target):
    beads = GaleChurchAligner().align(source, target)
    assert_monotone_cover(beads, len(source), len(target))


def test_finds_a_split_sentence_instead_of_pairing_by_index():
    source = ["short one", "a much longer sentence that the translator split in two parts", "end"]
    target = ["SHORT ONE", "A MUCH LONGER SENTENCE THAT", "THE TRANSLATOR SPLIT IN TWO PARTS",
              "END"]
    beads = GaleChurchAligner().align(source, target)
    assert [(b.source, b.target) for b in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]
