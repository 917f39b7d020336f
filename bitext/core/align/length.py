"""Interim length-based aligner (Gale & Church 1993), the baseline the real engine beats.

Lengths are counted in characters; the expected target/source length ratio is estimated
from the two texts themselves, so no language pair is assumed. The search runs in a band
around the diagonal, so cost is linear in the text length for a fixed band width.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bitext.core.align.base import Bead

# Prior probabilities of bead types (Gale & Church 1993, table 5).
_BEAD_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2,
                (1, 2): 0.089 / 2, (2, 2): 0.011}
_VARIANCE = 6.8


@dataclass
class GaleChurchAligner:
    """Dynamic programme over 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 beads."""

    band: int = 200
    name: str = "gale-church"

    def align(self, source: Sequence[str], target: Sequence[str]) -> list[Bead]:
        n, m = len(source), len(target)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        src_len = [max(len(s), 1) for s in source]
        tgt_len = [max(len(t), 1) for t in target]
        ratio = sum(tgt_len) / sum(src_len)
        band = max(self.band, abs(n - m) + 10)
        cost: dict[tuple[int, int], tuple[float, int, int]] = {(0, 0): (0.0, 0, 0)}
        for i in range(n + 1):
            centre = i * m / n
            lo, hi = max(0, int(centre - band)), min(m, int(centre + band))
            for j in range(lo, hi + 1):
                if i == 0 and j == 0:
                    continue
                best = (math.inf, 0, 0)
                for (di, dj), prior in _BEAD_PRIORS.items():
                    previous = cost.get((i - di, j - dj))
                    if previous is None:
                        continue
                    total = previous[0] + _bead_cost(
                        sum(src_len[i - di:i]), sum(tgt_len[j - dj:j]), ratio, prior
                    )
                    if total < best[0]:
                        best = (total, di, dj)
                if best[0] < math.inf:
                    cost[(i, j)] = best
        return _backtrace(cost, n, m)


def _bead_cost(src_chars: int, tgt_chars: int, ratio: float, prior: float) -> float:
    """-log P(bead type) - log P(length difference | match)."""
    if src_chars == 0 or tgt_chars == 0:
        return -math.log(prior) + 5.0
    mean = (src_chars + tgt_chars / ratio) / 2
    delta = (tgt_chars - src_chars * ratio) / math.sqrt(mean * _VARIANCE)
    p_delta = max(2 * (1 - _normal_cdf(abs(delta))), 1e-12)
    return -math.log(prior) - math.log(p_delta)


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _backtrace(cost: dict[tuple[int, int], tuple[float, int, int]], n: int, m: int) -> list[Bead]:
    beads = []
    i, j = n, m
    while (i, j) != (0, 0):
        total, di, dj = cost[(i, j)]
        previous = cost[(i - di, j - dj)][0]
        step = total - previous
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), math.exp(-step)))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
