"""N-way alignment on the Bible: CUV (simplified) with KJV and with WEB, three-way rows.

    python bench/nway.py [--books GEN RUT ...] [--limit N] [--data DIR] [--errors N]

How it aligns: chapter by chapter (chapter boundaries are given, verse boundaries are
not). Each chapter's verses are split into sentences by bitext's splitter on every side;
the CUV's sentences are aligned to the KJV's and, independently, to the WEB's by the
default aligner (``make_aligner``: the embedding engine, one process, one cache shared by
both runs so the CUV is embedded once). ``core.align.nway.align_through_original`` then
builds the three-way rows. The KJV's and the WEB's brackets (words their translators supplied) are
dropped, their words kept, as ``align_mac.py`` does.

Scored against the verse ids: a verse is a gold three-way row (its CUV, KJV and WEB
sentences; a side lacking the verse is empty), the gold mended where the texts number
verses differently (``bible.load``). Rows lying wholly inside one verse are
merged first (``coarsen_to_gold``: a verse of several sentences split into several rows
is not an error), then a row is a hit only when all three sides equal the verse's (strict
F1; a row is written as one bead whose target is the KJV ids followed by the WEB ids).
Measured in the same run, as references: each two-way alignment's own verse F1 (the
three-way rows cannot be finer than both allow). Time is the aligning and row building
after the encoder has loaded (its load is printed apart), wall clock and this process's CPU
(on a shared machine the CPU time is the steadier figure); peak memory is this process's
peak resident set.

``--errors N`` also counts each two-way alignment's missed verses by kind (``miss_kind``)
and prints N of each kind with their sentences. A row with no CUV (a verse the CUV lacks)
cannot be built through the original: those are counted apart, as the ceiling of the
three-way rows.

These are development figures: the aligner was not tuned on the Bible, but its errors
on these books have been read while developing the engine and the sentence splitter
(the CUV-KJV errors led to the splitter's semicolon rule).
"""

import argparse
import resource
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import bible
from bible import CUV, DATA, KJV, WEB, split_verses

from bitext.core.align.base import Bead
from bitext.core.align.cache import InMemoryEmbeddingCache
from bitext.core.align.engine import make_aligner
from bitext.core.align.evaluate import Pair, coarsen_to_gold, score_alignments
from bitext.core.align.nway import NWayRow, align_through_original

TARGET_F1 = 0.98
CACHE_ENTRIES = 50_000


def load(data: Path, books: list[str] | None, limit: int | None):
    """(chapter id, verse ids, cuv, kjv, web) for the chosen chapters."""
    (cuv, kjv, web), chapters = bible.load(data, (CUV, KJV, WEB), books, limit)
    return [(chapter, verses, cuv, kjv, web) for chapter, verses in chapters]


def three_way(row: NWayRow, kjv_count: int) -> Pair:
    """A three-way row as one bead: CUV ids -> KJV ids, then WEB ids after the KJV's."""
    kjv, web = row.translations
    return tuple(row.original), tuple(kjv) + tuple(kjv_count + j for j in web)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", nargs="+", help="only these books (GEN, RUT, 1CO, ...)")
    parser.add_argument("--limit", type=int, help="only the first N chapters")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", type=int, metavar="N",
                        help="count missed verses by kind and print N of each")
    args = parser.parse_args()
    if not (args.data / CUV).is_file():
        raise SystemExit(f"the Bible is not at {args.data} (see shared/data/corpus/bible)")
    selected = load(args.data, args.books, args.limit)
    if not selected:
        raise SystemExit("no chapter matches --books/--limit")

    started = time.perf_counter()
    cache = InMemoryEmbeddingCache(max_entries=CACHE_ENTRIES)
    to_kjv, to_web = (make_aligner("zh-Hans", "en", cache=cache) for _ in range(2))
    to_kjv.align(["一。"], ["One."])  # loads the encoder
    encoder_seconds = time.perf_counter() - started

    gold3, test3, gold_kjv, test_kjv, gold_web, test_web = [], [], [], [], [], []
    misses: dict[str, dict[str, list[str]]] = {"KJV": defaultdict(list), "WEB": defaultdict(list)}
    verses_total = sentences = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for _chapter, verses, cuv, kjv, web in selected:
        (zh_lines, zh_ids), (kjv_lines, kjv_ids), (web_lines, web_ids) = (
            split_verses(verses, cuv, "zh-Hans"), split_verses(verses, kjv, "en"),
            split_verses(verses, web, "en"))
        beads_kjv = to_kjv.align(zh_lines, kjv_lines)
        beads_web = to_web.align(zh_lines, web_lines)
        rows = align_through_original([beads_kjv, beads_web], len(zh_lines))
        offset = len(kjv_lines)
        gold = [(z, k + tuple(offset + j for j in w))
                for z, k, w in zip(zh_ids, kjv_ids, web_ids, strict=True)]
        gold3.append(gold)
        test3.append(coarsen_to_gold(gold, [three_way(row, offset) for row in rows]))
        for name, gold_list, test_list, lines, ids, beads in (
                ("KJV", gold_kjv, test_kjv, kjv_lines, kjv_ids, beads_kjv),
                ("WEB", gold_web, test_web, web_lines, web_ids, beads_web)):
            pairs = list(zip(zh_ids, ids, strict=True))
            gold_list.append(pairs)
            test_list.append(coarsen_to_gold(pairs, _pairs(beads)))
            if args.errors is not None:
                for v, kind, shown in missed_verses(pairs, test_list[-1], zh_lines, lines):
                    misses[name][kind].append(f"{verses[v]}: {shown}")
        verses_total += len(verses)
        sentences += len(zh_lines) + len(kjv_lines) + len(web_lines)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    three = score_alignments(gold3, test3)
    kjv_scores = score_alignments(gold_kjv, test_kjv)
    web_scores = score_alignments(gold_web, test_web)
    books = sorted({chapter.split(".")[0] for chapter, *_ in selected})
    print(f"{len(selected)} chapters of {len(books)} book(s), {verses_total:,} verses, "
          f"{sentences:,} sentences (CUV + KJV + WEB); aligned per chapter")
    print(f"\n{'alignment':<22} {'precision':>9} {'recall':>7} {'verse F1':>8}")
    for name, scores in (("CUV-KJV (two-way)", kjv_scores), ("CUV-WEB (two-way)", web_scores),
                         ("CUV-KJV-WEB (rows)", three)):
        print(f"{name:<22} {scores.precision_strict:9.4f} {scores.recall_strict:7.4f} "
              f"{scores.f1_strict:8.4f}")
    print(f"\nencoder load {encoder_seconds:.1f} s; aligning both and building rows "
          f"{seconds:.1f} s ({verses_total / seconds:.1f} verses/s, {cpu_seconds:.1f} s of CPU); "
          f"peak memory "
          f"{peak_mb:.0f} MB; target three-way verse F1 >= {TARGET_F1}")
    if args.errors is not None:
        no_cuv = sum(not row[0] for rows in gold3 for row in rows)
        print_misses(misses, args.errors, no_cuv)
    print(" ".join([
        f"chapters={len(selected)}", f"verses={verses_total}", f"sentences={sentences}",
        f"nway_f1={three.f1_strict:.4f}", f"nway_precision={three.precision_strict:.4f}",
        f"nway_recall={three.recall_strict:.4f}", f"kjv_f1={kjv_scores.f1_strict:.4f}",
        f"web_f1={web_scores.f1_strict:.4f}", f"seconds={seconds:.1f}",
        f"cpu_seconds={cpu_seconds:.1f}",
        f"encoder_seconds={encoder_seconds:.1f}", f"peak_mb={peak_mb:.0f}",
        f"target_f1={TARGET_F1}", f"met={three.f1_strict >= TARGET_F1}",
    ]))


def missed_verses(gold: Sequence[Pair], test: Sequence[Pair], zh: Sequence[str],
                  en: Sequence[str]) -> list[tuple[int, str, str]]:
    """(verse index, ``miss_kind``, the beads it met as text) for each gold verse that
    is not a test bead (both already coarsened to the verses)."""
    found = set(test)
    out = []
    for v, verse in enumerate(gold):
        if verse in found:
            continue
        met = [b for b in test if set(b[0]) & set(verse[0]) or set(b[1]) & set(verse[1])]
        shown = " | ".join(
            "+".join(zh[i][:30] for i in z) + " = " + "+".join(en[j][:40] for j in e)
            for z, e in met)
        out.append((v, miss_kind(gold, verse, met, zh), shown))
    return out


def miss_kind(gold: Sequence[Pair], verse: Pair, met: Sequence[Pair], zh: Sequence[str]) -> str:
    """Why a gold verse is missed, from the test beads that hold its sentences:
    one side empty in the gold; a null bead made; whole verses joined (no sentence
    misplaced, a boundary not found: what a monotone aligner does where the texts put
    content in a different verse); whole sentences paired with a neighbouring verse's;
    or a sentence aligned across a verse boundary, on the CUV side, the English side or
    both (and whether that CUV sentence is short)."""
    if not verse[0] or not verse[1]:
        return "gold verse empty on one side"
    if any(not z or not e for z, e in met):
        return "null bead made"
    owner = {(side, i): k for k, pair in enumerate(gold) for side in (0, 1) for i in pair[side]}
    crossed: set[str] = set()
    short = False
    for bead in met:
        verses = [{owner[(side, i)] for i in bead[side]} for side in (0, 1)]
        whole = all(set(gold[k][side]) <= set(bead[side])
                    for k in verses[0] | verses[1] for side in (0, 1))
        if len(met) == 1 and whole:
            return f"{len(verses[0] | verses[1])} whole verses joined"
        for side, name in ((0, "CUV"), (1, "English")):
            if len(verses[side]) > 1:
                crossed.add(name)
                short |= side == 0 and any(len(zh[i]) <= SHORT_CHARS for i in bead[0]
                                           if owner[(0, i)] != owner[(1, bead[1][0])])
    if not crossed:
        return "whole sentences paired with a neighbouring verse's"
    return (f"{' and '.join(sorted(crossed))} sentence across a verse boundary"
            + (" (a short one)" if short else ""))


SHORT_CHARS = 12
"""A CUV sentence this short (in characters) says little to an embedding on its own."""


def print_misses(misses: dict[str, dict[str, list[str]]], shown: int, no_cuv: int) -> None:
    for name, kinds in misses.items():
        total = sum(len(v) for v in kinds.values())
        print(f"\nCUV-{name}: {total} missed verses by kind")
        for kind, items in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(items):5d}  {kind}")
            for item in items[:shown]:
                print(f"         {item}")
    print(f"three-way gold rows with no CUV (no row through the original can hold them): "
          f"{no_cuv}")


def _pairs(beads: list[Bead]) -> list[Pair]:
    return [(tuple(b.source), tuple(b.target)) for b in beads]


if __name__ == "__main__":
    main()
