"""One reliability diagram printer for the benchmarks that judge a probability
(``align_mac.py``: bead scores on MAC-Dev; ``confidence.py``: the reader's confidence on
hand-checked rows)."""

from collections.abc import Sequence

import numpy as np

TENTHS = tuple(k / 10 for k in range(11))


def print_reliability(title: str, predicted: Sequence[float], right: Sequence[bool],
                      edges: Sequence[float] = TENTHS, indent: str = "  ") -> float:
    """Print predicted probability against the share observed right, per bin of
    ``edges`` (the last bin holds 1.0); returns the expected calibration error (the
    count-weighted mean gap between the two)."""
    p = np.clip(np.asarray(predicted, dtype=float), 0.0, 1.0)
    r = np.asarray(right, dtype=float)
    print(f"{indent}reliability, {title} ({len(r)}, {int(len(r) - r.sum())} wrong):")
    print(f"{indent}  {'bin':<11}{'count':>7}{'predicted':>11}{'observed':>10}")
    gap = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (p >= low) & ((p < high) | (high == edges[-1]))
        if not inside.any():
            continue
        mean, share = p[inside].mean(), r[inside].mean()
        gap += abs(mean - share) * inside.sum()
        print(f"{indent}  {low:.2f}-{high:.2f}{int(inside.sum()):>8}{mean:>11.3f}"
              f"{share:>10.3f}  {'#' * round(20 * share)}")
    ece = gap / max(len(r), 1)
    print(f"{indent}  expected calibration error {ece:.3f} ({r.mean() if len(r) else 0:.3f} "
          "right)")
    return ece
