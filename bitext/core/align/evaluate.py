"""Scoring an alignment against a gold one: strict and lax precision, recall and F1.

Beads are compared as sets of (source ids, target ids) (Sennrich & Volk 2010, the
reading of vecalign's ``score.py``):

- strict: a test bead counts when the gold alignment has exactly that bead;
- lax: a test bead counts when some gold bead overlaps it on both sides;
- precision is over every test bead, null beads (1-0, 0-1) included (a null bead is
  never a lax hit: it has no pair to overlap);
- recall is over the gold beads that are not null, judged against the test beads that
  are not null.

Counts are summed over all documents before dividing (micro average), so a corpus
scores as one long document.

The ``.align`` text format is one bead per line, ``[0,1]:[0]``, 0-based ids.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bitext.core.align.base import Bead
from bitext.errors import InputError

Pair = tuple[tuple[int, ...], tuple[int, ...]]

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float


def parse_alignment(text: str) -> list[Pair]:
    """Read the ``.align`` format; blank lines are skipped."""
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise InputError(f"line {number}: not a bead of the form [0,1]:[2]")
        pairs.append((_ids(match.group(1)), _ids(match.group(2))))
    return pairs


def format_alignment(beads: Iterable[Bead | Pair]) -> str:
    """Write beads in the ``.align`` format, one per line, ending with a newline."""
    lines = []
    for bead in beads:
        source, target = (bead.source, bead.target) if isinstance(bead, Bead) else bead
        lines.append(f"[{','.join(map(str, source))}]:[{','.join(map(str, target))}]")
    return "".join(line + "\n" for line in lines)


def score_alignments(
    gold: Sequence[Sequence[Bead | Pair]], test: Sequence[Sequence[Bead | Pair]]
) -> Scores:
    """Scores of several documents at once (counts summed over documents)."""
    if len(gold) != len(test):
        raise InputError("need as many test alignments as gold alignments")
    p_hits = [0, 0, 0]  # strict hits, lax hits, total
    r_hits = [0, 0, 0]
    for gold_doc, test_doc in zip(gold, test, strict=True):
        gold_pairs = [_pair(b) for b in gold_doc]
        test_pairs = [_pair(b) for b in test_doc]
        _add(p_hits, _hits(reference=gold_pairs, candidate=test_pairs))
        gold_full = [p for p in gold_pairs if p[0] and p[1]]
        test_full = [p for p in test_pairs if p[0] and p[1]]
        _add(r_hits, _hits(reference=test_full, candidate=gold_full))
    p_strict, p_lax = _ratio(p_hits[0], p_hits[2]), _ratio(p_hits[1], p_hits[2])
    r_strict, r_lax = _ratio(r_hits[0], r_hits[2]), _ratio(r_hits[1], r_hits[2])
    return Scores(p_strict, r_strict, _f1(p_strict, r_strict), p_lax, r_lax, _f1(p_lax, r_lax))


def score_alignment(gold: Sequence[Bead | Pair], test: Sequence[Bead | Pair]) -> Scores:
    return score_alignments([gold], [test])


def coarsen_to_gold(gold: Sequence[Bead | Pair], test: Sequence[Bead | Pair]) -> list[Pair]:
    """The test beads, those lying wholly inside one gold bead merged into one.

    For gold beads coarser than the aligned units (a Bible verse of several sentences): a
    finer split inside a gold bead is not an error there, but a test bead that crosses a
    gold boundary is kept as it is and still costs a miss.
    """
    gold_pairs = [_pair(b) for b in gold]
    source_owner = {i: k for k, (source, _) in enumerate(gold_pairs) for i in source}
    target_owner = {j: k for k, (_, target) in enumerate(gold_pairs) for j in target}
    merged: dict[int, tuple[list[int], list[int]]] = {}
    order: list[Pair | int] = []
    for bead in test:
        source, target = _pair(bead)
        owners = ({source_owner.get(i) for i in source}
                  | {target_owner.get(j) for j in target})
        owner = owners.pop() if len(owners) == 1 else None
        if owner is None:
            order.append((source, target))
            continue
        if owner not in merged:
            merged[owner] = ([], [])
            order.append(owner)
        merged[owner][0].extend(source)
        merged[owner][1].extend(target)
    return [item if isinstance(item, tuple)
            else (tuple(sorted(merged[item][0])), tuple(sorted(merged[item][1])))
            for item in order]


def _hits(reference: list[Pair], candidate: list[Pair]) -> tuple[int, int, int]:
    """(strict hits, lax hits, number of candidates), each distinct candidate once."""
    reference_set = set(reference)
    partners: dict[int, set[int]] = defaultdict(set)
    for source, target in reference:
        for s in source:
            partners[s].update(target)
    strict = lax = total = 0
    for source, target in set(candidate):
        if not source and not target:
            continue
        total += 1
        if (source, target) in reference_set:
            strict += 1
            lax += 1
        elif any(t in partners[s] for s in source for t in target):
            lax += 1
    return strict, lax, total


def _pair(bead: Bead | Pair) -> Pair:
    if isinstance(bead, Bead):
        return tuple(bead.source), tuple(bead.target)
    return tuple(bead[0]), tuple(bead[1])


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def _add(total: list[int], counts: tuple[int, int, int]) -> None:
    for k, value in enumerate(counts):
        total[k] += value


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
