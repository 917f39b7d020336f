"""Version diff: the PRC Constitution as amended to 2004 -> the 2018 text, against the changes
the 2018 amendment (amendment articles 32-52) makes, derived by hand into
tests/data/constitution_2018_changes.json.

Our diff is scored by operation (op, old provision, new provision): a renumbered article must be
found as a move with both numbers, an amended one as changed. Front matter is left out (the two
texts come from different sources with different title lines). The reference, measured in the
same run, is a plain line diff (difflib over the raw lines): the new-version provisions it touches,
scored against the expected new-side provisions (it cannot tell a move from an insertion).

    python bench/versions.py [--repeat N]

Figures are printed, never asserted (see STYLE.md).
"""

import argparse
import difflib
import json
import time
from pathlib import Path

from bitext.core.versions.diff import diff_versions
from bitext.core.versions.provisions import split_provisions

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus"
FIXTURE = ROOT / "tests" / "data" / "constitution_2018_changes.json"


def expected_ops(fixture: dict) -> set[tuple[str, str | None, str | None]]:
    return {(e["op"], e["old"], e["new"]) for entries in fixture["amendments"].values()
            for e in entries}


def found_ops(old: str, new: str) -> set[tuple[str, str | None, str | None]]:
    return {(op.kind, op.old and op.old.ident, op.new and op.new.ident)
            for op in diff_versions(old, new)
            if op.kind != "unchanged"
            and "front" not in {op.old and op.old.kind, op.new and op.new.kind}}


def line_diff_provisions(old: str, new: str) -> set[str]:
    """New-version provisions that a plain line diff marks as inserted or replaced."""
    owner = [p.ident for p in split_provisions(new) for _ in p.lines]
    old_lines = [line.strip() for line in old.splitlines() if line.strip()]
    new_lines = [line.strip() for line in new.splitlines() if line.strip()]
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return {owner[j] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"
            for j in range(j1, j2) if not owner[j].startswith("front")}


def score(found: set, expected: set) -> tuple[float, float]:
    hits = len(found & expected)
    return (hits / len(found) if found else 1.0), (hits / len(expected) if expected else 1.0)


def best_time(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs, fastest kept")
    args = parser.parse_args()
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    old = (CORPUS / fixture["old"]).read_text(encoding="utf-8")
    new = (CORPUS / fixture["new"]).read_text(encoding="utf-8")
    expected = expected_ops(fixture)
    found = found_ops(old, new)
    precision, recall = score(found, expected)
    diff_s = best_time(lambda: diff_versions(old, new), args.repeat)

    expected_new = {new_id for _, _, new_id in expected if new_id}
    line_found = line_diff_provisions(old, new)
    line_precision, line_recall = score(line_found, expected_new)
    line_s = best_time(lambda: line_diff_provisions(old, new), args.repeat)

    print(f"2004 -> 2018 PRC Constitution: {len(split_provisions(old))} -> "
          f"{len(split_provisions(new))} provisions, {len(expected)} expected operations")
    print(f"{'method':<34}{'precision':>10}{'recall':>8}{'time ms':>9}")
    print(f"{'provision diff (by operation)':<34}{precision:>10.4f}{recall:>8.4f}"
          f"{diff_s * 1000:>9.1f}")
    print(f"{'reference: line diff (by provision)':<34}{line_precision:>10.4f}"
          f"{line_recall:>8.4f}{line_s * 1000:>9.1f}")
    for label, ops in (("missed", expected - found), ("extra", found - expected)):
        for op in sorted(ops, key=str):
            print(f"  {label}: {op}")
    print(f"precision={precision:.4f} recall={recall:.4f} diff_ms={diff_s * 1000:.1f} "
          f"line_diff_precision={line_precision:.4f} line_diff_recall={line_recall:.4f} "
          f"line_diff_ms={line_s * 1000:.1f}")


if __name__ == "__main__":
    main()
