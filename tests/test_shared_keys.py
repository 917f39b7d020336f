"""Signal keys shared by a bead, counted with running sums, agree with the definition:
the multiset intersection of the unions of the bead's sentences' keys on each side, each
key at its signal's weight; and a bead is "touched" exactly when it holds a sentence pair
that shares a key within the band."""

from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.align.search import band_from_anchors
from bitext.core.align.shared_keys import SharedKeys
from bitext.core.align.signals import KeySignal, shared_weight

KEYS = st.lists(st.sampled_from("abcdefgh"), max_size=4)


def _signals(weights: tuple[float, float]) -> list[KeySignal[str]]:
    """Two signals reading the same words: lower-case keys, and upper-case ones at half
    weight for 'a'."""
    def lower(text: str) -> Counter[str]:
        return Counter(w for w in text.split() if w.islower())

    def upper(text: str) -> Counter[str]:
        return Counter(w.lower() for w in text.split() if w.isupper())

    return [KeySignal("lower", lower, lower, lambda _: 1.0, weights[0]),
            KeySignal("upper", upper, upper, lambda k: 0.5 if k == "a" else 1.0, weights[1])]


def _texts(draw_words: list[list[str]], upper: list[bool]) -> list[str]:
    return [" ".join(w.upper() if up else w for w in words)
            for words, up in zip(draw_words, upper, strict=True)]


@st.composite
def sides(draw):
    n, m = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    source = _texts(draw(st.lists(KEYS, min_size=n, max_size=n)),
                    draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    target = _texts(draw(st.lists(KEYS, min_size=m, max_size=m)),
                    draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    weights = (draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])),
               draw(st.sampled_from([0.5, 1.0, 3.0])))
    return source, target, weights, draw(st.integers(0, 3))


def _union(bags: list[Counter]) -> Counter:
    total: Counter = Counter()
    for bag in bags:
        total.update(bag)
    return total


@given(sides())
def test_running_sums_agree_with_multiset_unions(case):
    source, target, weights, width = case
    signals = _signals(weights)
    band = band_from_anchors([], len(source), len(target), width)
    keys = SharedKeys(signals, source, target, band)
    beads = [(i0, i1, j0, j1) for i1 in range(1, len(source) + 1) for i0 in range(i1)
             for j1 in range(1, len(target) + 1) for j0 in range(j1)]
    i0, i1, j0, j1 = (np.array(column) for column in zip(*beads, strict=True))
    expected = [sum(shared_weight(s, _union([s.source_keys(t) for t in source[a:b]]),
                                  _union([s.target_keys(t) for t in target[c:d]]))
                    for s in signals) for a, b, c, d in beads]
    assert np.allclose(keys.shared(i0, i1, j0, j1), expected)


@given(sides(), st.integers(1, 3), st.integers(1, 3))
def test_touched_beads_hold_a_sharing_pair_within_the_band(case, a, b):
    source, target, weights, width = case
    signals = _signals(weights)
    band = band_from_anchors([], len(source), len(target), width)
    keys = SharedKeys(signals, source, target, band)
    sharing = {(p, q) for p in range(len(source))
               for q in range(int(band.lo[p]), int(band.hi[p + 1]))
               if sum(shared_weight(s, s.source_keys(source[p]), s.target_keys(target[q]))
                      for s in signals)}
    assert bool(keys) == bool(sharing)
    rows, cols = band.rows, band.cols
    expected = [any((p, q) in sharing for p in range(i - a, i) for q in range(j - b, j))
                for i, j in zip(rows.tolist(), cols.tolist(), strict=True)]
    assert keys.touched(rows, cols, a, b).tolist() == expected
