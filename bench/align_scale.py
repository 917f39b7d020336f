"""Does alignment stay linear in time and memory as documents grow?

    python bench/align_scale.py [--sizes 1000 2500 5000 10000]

Each size runs in a fresh process: a synthetic document pair of N paragraphs (seeded;
the "translation" rewrites words and splits, merges and drops paragraphs, so the gold
alignment is known) is aligned end to end with the embedding engine and the hashing
character n-gram encoder (a real Encoder, no model). Prints seconds, seconds per 1,000
paragraphs, peak memory above the baseline, memory per paragraph, and strict F1.
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import time


def synthetic_pair(n: int, seed: int = 7):
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
                  for _ in range(5000)]
    source = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(15, 60))) + "."
              for _ in range(n)]
    target: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < n:
        words = source[i].split()
        words = [rng.choice(vocabulary) if rng.random() < 0.15 else w for w in words]
        roll = rng.random()
        if roll < 0.01:  # dropped in translation
            gold.append(((i,), ()))
        elif roll < 0.09 and len(words) > 6:  # split in two
            half = len(words) // 2
            target.extend([" ".join(words[:half]), " ".join(words[half:])])
            gold.append(((i,), (len(target) - 2, len(target) - 1)))
        elif roll < 0.14 and i + 1 < n:  # merged with the next one
            target.append(" ".join(words) + " " + source[i + 1])
            gold.append(((i, i + 1), (len(target) - 1,)))
            i += 1
        else:
            target.append(" ".join(words))
            gold.append(((i,), (len(target) - 1,)))
        i += 1
    return source, target, gold


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n: int) -> dict:
    from bitext.core.align.encoders import HashingEncoder
    from bitext.core.align.engine import make_aligner
    from bitext.core.align.evaluate import score_alignment

    source, target, gold = synthetic_pair(n)
    aligner = make_aligner("en", "en", encoder=HashingEncoder())
    aligner.align(source[:50], target[:50])  # warm up imports and caches
    baseline = _rss_mb()
    start = time.perf_counter()
    beads = aligner.align(source, target)
    seconds = time.perf_counter() - start
    peak = _rss_mb() - baseline
    return {"n": n, "m": len(target), "seconds": seconds, "peak_mb": peak,
            "f1": score_alignment(gold, beads).f1_strict}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    print(f"{'paragraphs':>10} {'target':>7} {'seconds':>8} {'s/1000':>7} {'peak MB':>8} "
          f"{'KB/para':>8} {'F1 strict':>9}")
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                              capture_output=True, text=True)
        r = json.loads(done.stdout)
        print(f"{r['n']:>10} {r['m']:>7} {r['seconds']:8.2f} {1000 * r['seconds'] / n:7.2f} "
              f"{r['peak_mb']:8.1f} {1024 * r['peak_mb'] / n:8.1f} {r['f1']:9.3f}")


if __name__ == "__main__":
    main()
