"""Sentence alignment quality on MAC-Dev, each figure labelled by what it was tuned on.

    python bench/align_mac.py [--quick] [--exhaustive] [--no-signals]

1. development (tuned on these texts): the engine's defaults were chosen on MAC-Dev
   (6 zh–en literary texts), so their score there over-states quality.
2. held-out within MAC-Dev (leave-one-text-out): for each text, every tuned parameter is
   chosen on the other five (one coordinate step from the defaults over ``TUNED``) and
   that text is scored. Still optimistic: the grid, the score formula and the signal
   rules were designed with all six texts in view.
3. not tuned on: a few Bible books (CUV / WEB), gold beads = verses, our own splitter.

MAC-Dev comes split into sentences, and figures 1 and 2 align those gold sentences: our
sentence splitter plays no part in them. Its rules were shaped on MAC-Dev too (the
ellipsis rule; tests/test_sentences.py measures gold recovery there); figure 3 is the
only one that runs it, on text it was not shaped on. Metric: strict and lax P/R/F1 (vecalign's
reading, see bitext.core.align.evaluate). The last line sums up as key=value pairs.
``--quick``, ``--exhaustive`` and ``--no-signals`` print the development figure only.
"""

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from bitext.core.align.base import Aligner, Bead
from bitext.core.align.cache import InMemoryEmbeddingCache
from bitext.core.align.encoders import Encoder, USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.evaluate import (
    Pair,
    Scores,
    coarsen_to_gold,
    parse_alignment,
    score_alignments,
)
from bitext.core.align.length import GaleChurchAligner
from bitext.core.align.scoring import ScoreWeights
from bitext.core.text.sentences import split_sentences

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BIBLE_BOOKS = ("RUT", "JON", "EST", "NAM", "PHP", "JAS")

PRIVATE_HELD_OUT_NOTE = (
    "note: on the project's own held-out literary set (kept by the maintainers, never "
    "shown to developers) the engine scored below 0.90 strict F1, under its MAC-Dev "
    "figure: MAC-Dev figures over-state quality.")

# Every engine setting that changes MAC-Dev alignments, with the values a fold may pick.
# Not here: low_confidence_threshold (flags beads, aligns nothing); anchor_window_share
# and max_band_cells_per_unit (bind only on texts far longer than MAC-Dev's).
TUNED: dict[str, list[dict[str, object]]] = {
    "bead size (per side, in all)": [{"max_sentences": k, "max_bead_size": k + 1}
                                     for k in (4, 5, 6, 7)],
    "size_penalty": [{"size_penalty": v} for v in (0.0, 0.015, 0.03, 0.05, 0.08)],
    "coverage": [{"coverage": v} for v in (0.0, 0.2, 0.4, 0.6)],
    "margin (off, reach)": [{"margin": False}, *({"margin_reach": v} for v in (1, 2, 3))],
    "edge_background": [{"edge_background": v} for v in (True, False)],
    "signals (off, weight)": [{"use_signals": False},
                              *({"signal_weight": v} for v in (0.025, 0.05, 0.1))],
    "null_score": [{"null_score": v} for v in (-0.1, -0.2, -0.3)],
    "band_width": [{"band_width": v} for v in (3, 5, 8)],
    "anchor_candidates": [{"anchor_candidates": v} for v in (1, 3, 5)],
    "anchor_window_min": [{"anchor_window_min": v} for v in (100, 250)],
    "optimism": [{"optimism": v} for v in (0.0, 0.1, 0.2)],
    "length_power": [{"length_power": v} for v in (0.5, 1.0, 2.0)],
    "refine_rounds": [{"refine_rounds": v} for v in (4, 8, 16)],
}

_ENGINE_FIELDS = {f.name for f in fields(EmbeddingAligner)}
DEFAULTS: dict[str, object] = {
    **{f.name: f.default for f in fields(ScoreWeights)},
    **{f.name: f.default for f in fields(EmbeddingAligner) if isinstance(f.default, int | float)},
}

Doc = tuple[str, list[str], list[str], list[Pair]]
Setting = frozenset[tuple[str, object]]  # overrides of DEFAULTS


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


def load_mac() -> list[Doc]:
    folder = DATA / "mac-dev"
    if not (folder / "gold").is_dir():
        sys.exit(f"MAC-Dev not found at {folder} (it lives in the shared development data)")
    docs = []
    for gold in sorted((folder / "gold").glob("*.align")):
        name = gold.stem
        zh = (folder / "zh" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        en = (folder / "en" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        docs.append((name, zh, en, parse_alignment(gold.read_text(encoding="utf-8"))))
    return docs


def load_bible(books: Sequence[str]) -> list[Doc]:
    """One document per book; each verse split by our splitter is one gold bead."""
    folder = DATA / "corpus" / "bible"
    zh_verses, en_verses = _verses(folder / "zh-cuv-simplified.tsv"), _verses(folder / "en-web.tsv")
    docs = []
    for book in books:
        zh: list[str] = []
        en: list[str] = []
        gold: list[Pair] = []
        for verse, zh_text in zh_verses.items():
            if verse.split(".")[0] != book or verse not in en_verses:
                continue
            zh_part = split_sentences(zh_text, "zh-Hans")
            en_part = split_sentences(en_verses[verse], "en")
            gold.append((tuple(range(len(zh), len(zh) + len(zh_part))),
                         tuple(range(len(en), len(en) + len(en_part)))))
            zh += zh_part
            en += en_part
        docs.append((book, zh, en, gold))
    return docs


def _verses(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t", 1) for line in lines)


def aligner_for(setting: Setting, encoder: Encoder, cache: InMemoryEmbeddingCache,
                ) -> EmbeddingAligner:
    overrides = dict(setting)
    engine = {k: v for k, v in overrides.items() if k in _ENGINE_FIELDS}
    weights = replace(ScoreWeights(), **{k: v for k, v in overrides.items()
                                         if k not in _ENGINE_FIELDS})
    return EmbeddingAligner("zh-Hans", "en", encoder=encoder, cache=cache, weights=weights,
                            **engine)  # type: ignore[arg-type]


def setting_of(option: dict[str, object]) -> Setting:
    return frozenset((k, v) for k, v in option.items() if DEFAULTS[k] != v)


def describe(setting: Setting) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(setting)) or "the defaults"


def run(aligner: Aligner, docs: Sequence[Doc]) -> tuple[Scores, list[list[Bead]], float]:
    start = time.perf_counter()
    outputs = [aligner.align(zh, en) for _, zh, en, _ in docs]
    seconds = time.perf_counter() - start
    return score_alignments([gold for *_, gold in docs], outputs), outputs, seconds


def print_scores(label: str, s: Scores) -> None:
    print(f"  {label:<24} strict P {s.precision_strict:.3f} R {s.recall_strict:.3f} "
          f"F1 {s.f1_strict:.3f} | lax P {s.precision_lax:.3f} R {s.recall_lax:.3f} "
          f"F1 {s.f1_lax:.3f}")


def development(docs: Sequence[Doc], cache: InMemoryEmbeddingCache, exhaustive: bool,
                no_signals: bool) -> Scores:
    encoder = TimedEncoder(USEEncoder())
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder, cache=cache,
                               embed_all_spans=exhaustive, use_signals=not no_signals)
    scores, outputs, seconds = run(aligner, docs)
    baseline, _, baseline_seconds = run(GaleChurchAligner(), docs)
    sentences = sum(len(zh) + len(en) for _, zh, en, _ in docs)
    print(f"1. development (tuned on these texts): MAC-Dev, {len(docs)} texts, "
          f"{sentences} gold sentences (our splitter plays no part), defaults")
    print_scores(aligner.name, scores)
    print_scores("gale-church (baseline)", baseline)
    print(f"  seconds: {aligner.name} {seconds:.1f} (embedding {encoder.seconds:.1f}, "
          f"{encoder.texts} texts), gale-church {baseline_seconds:.1f}")
    per_text = [score_alignments([gold], [out]).f1_strict
                for (*_, gold), out in zip(docs, outputs, strict=True)]
    print("  strict F1 per text: " + ", ".join(
        f"{name} {f1:.3f}" for (name, *_), f1 in zip(docs, per_text, strict=True)))
    return scores


def leave_one_text_out(docs: Sequence[Doc], encoder: Encoder,
                       cache: InMemoryEmbeddingCache) -> Scores:
    """Per held-out text: each parameter set to its best value on the other texts (the
    others at their defaults while it varies), then the combination scores that text."""
    for name, options in TUNED.items():
        if sum(not setting_of(o) for o in options) != 1:
            sys.exit(f"the {name!r} grid must hold the engine's default exactly once")
    golds = [gold for *_, gold in docs]
    outputs: dict[tuple[Setting, int], list[Bead]] = {}

    def output(setting: Setting, k: int) -> list[Bead]:
        if (setting, k) not in outputs:
            _, zh, en, _ = docs[k]
            outputs[(setting, k)] = aligner_for(setting, encoder, cache).align(zh, en)
        return outputs[(setting, k)]

    def f1_on(setting: Setting, texts: list[int]) -> float:
        return score_alignments([golds[k] for k in texts],
                                [output(setting, k) for k in texts]).f1_strict

    start = time.perf_counter()
    print(f"2. held-out within MAC-Dev (leave-one-text-out): {len(TUNED)} parameters, "
          f"each chosen on the other 5 texts")
    print("  grid (* = default): " + "; ".join(
        f"{name} " + "|".join(",".join(map(str, o.values())) + ("" if setting_of(o) else "*")
                              for o in options)
        for name, options in TUNED.items()))
    held_out = []
    for h, (name, *_) in enumerate(docs):
        rest = [k for k in range(len(docs)) if k != h]
        chosen: dict[str, object] = {}
        for options in TUNED.values():  # a tie keeps the default
            best = max(options, key=lambda o: (f1_on(setting_of(o), rest), not setting_of(o)))
            chosen.update(best)
        setting = setting_of(chosen)
        held_out.append(output(setting, h))
        f1 = score_alignments([golds[h]], [held_out[-1]]).f1_strict
        print(f"  {name}: held-out strict F1 {f1:.3f} (development {f1_on(frozenset(), [h]):.3f});"
              f" chose {describe(setting)}")
    scores = score_alignments(golds, held_out)
    print_scores("all held-out texts", scores)
    print(f"  seconds: {time.perf_counter() - start:.0f} "
          f"({len({s for s, _ in outputs})} settings)")
    return scores


def bible(encoder: Encoder, cache: InMemoryEmbeddingCache) -> Scores:
    docs = load_bible(BIBLE_BOOKS)
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder, cache=cache)
    _, outputs, seconds = run(aligner, docs)
    golds = [gold for *_, gold in docs]
    coarse = [coarsen_to_gold(gold, out) for gold, out in zip(golds, outputs, strict=True)]
    scores = score_alignments(golds, coarse)
    zh, en = sum(len(d[1]) for d in docs), sum(len(d[2]) for d in docs)
    print(f"3. not tuned on: Bible (CUV simplified / WEB), books {' '.join(BIBLE_BOOKS)}: "
          f"{len(docs)} texts, {sum(map(len, golds))} verses, {zh} + {en} sentences split "
          f"by our splitter, defaults; beads inside one verse are merged before scoring, so this "
          f"verse-level figure is not comparable with the sentence-level ones above")
    print_scores(aligner.name, scores)
    print(f"  seconds: {seconds:.1f}; strict F1 per book: " + ", ".join(
        f"{name} {score_alignments([g], [c]).f1_strict:.3f}"
        for (name, *_), g, c in zip(docs, golds, coarse, strict=True)))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the development figure only")
    parser.add_argument("--exhaustive", action="store_true",
                        help="embed every multi-sentence span in the band (slow reference)")
    parser.add_argument("--no-signals", action="store_true", help="embeddings and length only")
    args = parser.parse_args()
    docs = load_mac()
    cache = InMemoryEmbeddingCache()  # shared: each text is embedded once in the process
    dev = development(docs, cache, args.exhaustive, args.no_signals)
    summary = {"dev_f1_strict": dev.f1_strict, "dev_f1_lax": dev.f1_lax}
    if not (args.quick or args.exhaustive or args.no_signals):
        encoder = USEEncoder()
        loto = leave_one_text_out(docs, encoder, cache)
        held_bible = bible(encoder, cache)
        summary |= {"loto_f1_strict": loto.f1_strict, "loto_f1_lax": loto.f1_lax,
                    "bible_f1_strict": held_bible.f1_strict, "bible_f1_lax": held_bible.f1_lax}
    print(PRIVATE_HELD_OUT_NOTE)
    print(" ".join(f"{k}={v:.3f}" for k, v in summary.items()) + " private_heldout_f1_strict=<0.90")


if __name__ == "__main__":
    main()
