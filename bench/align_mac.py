"""Sentence alignment quality and speed on MAC-Dev (6 zh–en literary texts, gold beads).

    python bench/align_mac.py [--exhaustive] [--no-signals] [--per-text] [--loo]

Prints strict and lax precision / recall / F1 (vecalign's reading of the metric, see
bitext.core.align.evaluate) and seconds, for bitext's embedding engine and for the plain
Gale–Church baseline, run in this one process. Embedding time and search time are shown
apart (the encoder is timed through a wrapper; loading it counts as embedding).

``--loo`` checks that the default parameters are not fitted to one text: over a small
grid around them, for each text it picks the setting best on the other five and scores
it on the held-out text (one shared embedding cache, so each span is embedded once).
"""

import argparse
import itertools
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bitext.core.align.base import Aligner, Bead
from bitext.core.align.cache import InMemoryEmbeddingCache
from bitext.core.align.encoders import Encoder, USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.evaluate import Scores, parse_alignment, score_alignments
from bitext.core.align.length import GaleChurchAligner
from bitext.core.align.scoring import ScoreWeights

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev"


@dataclass
class TimedEncoder:
    """Wraps an encoder to count the seconds and texts spent embedding."""

    inner: Encoder
    seconds: float = 0.0
    texts: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def encode(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)


def load_corpus() -> list[tuple[str, list[str], list[str], list]]:
    if not (DATA / "gold").is_dir():
        sys.exit(f"MAC-Dev not found at {DATA} (it lives in the shared development data)")
    docs = []
    for gold in sorted((DATA / "gold").glob("*.align")):
        name = gold.stem
        zh = (DATA / "zh" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        en = (DATA / "en" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        docs.append((name, zh, en, parse_alignment(gold.read_text(encoding="utf-8"))))
    return docs


def run(aligner: Aligner, docs) -> tuple[Scores, list[list[Bead]], float]:
    start = time.perf_counter()
    outputs = [aligner.align(zh, en) for _, zh, en, _ in docs]
    seconds = time.perf_counter() - start
    return score_alignments([gold for *_, gold in docs], outputs), outputs, seconds


def leave_one_out(docs) -> None:
    """Held-out strict F1 per text with the setting chosen on the other texts."""
    encoder, cache, defaults = USEEncoder(), InMemoryEmbeddingCache(), ScoreWeights()
    grid = list(itertools.product(((5, 4), (7, 6)), (1, 2), (0.0, 0.2, 0.4), (0.03, 0.05)))
    outputs = []
    for (size, most), reach, coverage, penalty in grid:
        weights = replace(defaults, margin_reach=reach, coverage=coverage,
                          size_penalty=penalty)
        aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder, cache=cache,
                                   max_bead_size=size, max_sentences=most, weights=weights)
        outputs.append([aligner.align(zh, en) for _, zh, en, _ in docs])
    golds = [gold for *_, gold in docs]
    held_out = []
    print("leave one text out (setting = max bead size, margin reach, coverage, size penalty)")
    for h, (name, *_) in enumerate(docs):
        rest = [k for k in range(len(docs)) if k != h]
        best = max(range(len(grid)), key=lambda g: score_alignments(
            [golds[k] for k in rest], [outputs[g][k] for k in rest]).f1_strict)
        held_out.append(outputs[best][h])
        f1 = score_alignments([golds[h]], [outputs[best][h]]).f1_strict
        print(f"  {name}: chosen {grid[best]}, held-out strict F1 {f1:.3f}")
    print(f"  all held-out texts: strict F1 {score_alignments(golds, held_out).f1_strict:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhaustive", action="store_true",
                        help="embed every multi-sentence span in the band (slow reference)")
    parser.add_argument("--no-signals", action="store_true", help="embeddings and length only")
    parser.add_argument("--per-text", action="store_true", help="strict F1 of each text too")
    parser.add_argument("--loo", action="store_true",
                        help="leave-one-text-out check of the parameters instead")
    args = parser.parse_args()
    docs = load_corpus()
    if args.loo:
        leave_one_out(docs)
        return

    encoder = TimedEncoder(USEEncoder())
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder,
                               embed_all_spans=args.exhaustive,
                               use_signals=not args.no_signals)
    bitext_scores, outputs, bitext_seconds = run(aligner, docs)
    baseline_scores, _, baseline_seconds = run(GaleChurchAligner(), docs)

    sentences = sum(len(zh) + len(en) for _, zh, en, _ in docs)
    print(f"MAC-Dev: {len(docs)} texts, {sentences} sentences; "
          f"{encoder.texts} texts embedded")
    print(f"{'system':<22} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} "
          f"{'P lax':>6} {'R lax':>6} {'F1 lax':>6} {'embed s':>8} {'search s':>8} {'total s':>7}")
    rows = [
        (aligner.name, bitext_scores, encoder.seconds, bitext_seconds - encoder.seconds,
         bitext_seconds),
        ("gale-church", baseline_scores, 0.0, baseline_seconds, baseline_seconds),
    ]
    for name, s, embed_s, search_s, total_s in rows:
        print(f"{name:<22} {s.precision_strict:8.3f} {s.recall_strict:8.3f} "
              f"{s.f1_strict:9.3f} {s.precision_lax:6.3f} {s.recall_lax:6.3f} "
              f"{s.f1_lax:6.3f} {embed_s:8.2f} {search_s:8.2f} {total_s:7.2f}")
    if args.per_text:
        for (name, *_, gold), output in zip(docs, outputs, strict=True):
            print(f"  {name}: strict F1 {score_alignments([gold], [output]).f1_strict:.3f}")


if __name__ == "__main__":
    main()
