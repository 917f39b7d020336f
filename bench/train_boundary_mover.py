"""Fit the boundary model (``bitext.core.align.refine``) on text that is not MAC.

    python bench/train_boundary_mover.py [--out bitext/core/align/models/boundary_mover-v1.json]

Training texts: those of ``train_bead_scorer.py`` (Bible books CUV ↔ WEB and CUV ↔ KJV, a
verse a gold bead; the PRC and CPC constitutions, paragraph pairs). No MAC text is read.

1. Each text is aligned by the engine without a boundary model. For every boundary
   between two non-null beads, the other cuts ``refine.moved_cuts`` offers (the boundary
   moved by a sentence on either side or both) are set against the search's own.
2. A cut is right when each of its two beads lies inside one gold bead (the gold is
   coarser than sentences: which cut inside a verse is right it cannot tell), wrong when
   a bead crosses a gold boundary. Only pairs of cuts where one is right and the other
   wrong say anything: all of them are fitted on, not only the better-evidenced ones the
   engine considers (``refine.better_evidenced``), which are too few.
3. A logistic regression (scikit-learn, no intercept) on the difference of the two
   cuts' summed features says which of the two is right; its weights are the model.

``--vectors FILE`` keeps the embeddings between runs (as ``train_bead_scorer.py``).
"""

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from align_mac import Doc
from sklearn.linear_model import LogisticRegression
from train_bead_scorer import load_vectors, save_vectors, span_texts, training_docs

from bitext.core.align.cache import CachedEmbedder, InMemoryEmbeddingCache
from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.evaluate import coarsen_to_gold, score_alignments
from bitext.core.align.lexicon import cc_cedict
from bitext.core.align.refine import (
    EVIDENCE,
    BoundaryModel,
    Cut,
    cut_features,
    embed_cuts,
    moved_cuts,
)
from bitext.core.align.scoring import BeadScorer, ScoreWeights
from bitext.core.align.search import anchor_chain, band_from_anchors, candidate_pairs
from bitext.core.align.signals import signals_for
from bitext.core.align.spans import SpanVectors

FEATURES = ("formula", "lexical_words", "signals")
"""The default fit: MAC-Dev strict F1 0.912 after moving boundaries, 0.902 without (a
development set). Tried as well, before the candidates were limited to better-evidenced
cuts (``refine.better_evidenced``): formula alone 0.903; formula + lexical_words 0.908
(it moved "Article 121" headings of the HK Basic Law demo next to the wrong article,
whose number the signals would have kept); + cosine 0.909; + lexical and
lexical_outside 0.894; + length_log_ratio 0.881; + length_agreement 0.892;
+ worst_member 0.903; all of the scorer's features 0.893. Bead counts or types as
features (letting merges and splits in) 0.875 to 0.889: the coarse gold says merges
across verses are wrong and never that a split is. Fitting on the better-evidenced
pairs only leaves 8 of them: the fit uses every pair, the rule applies after it."""


def scorer_for(doc: Doc, aligner: EmbeddingAligner, embedder: CachedEmbedder) -> BeadScorer:
    """A scorer over the document's band, with the signals and the dictionary read (as
    the engine's)."""
    _, zh, en, _ = doc
    n, m = len(zh), len(en)
    singles = embedder.embed([*zh, *en])
    src = SpanVectors(zh, "", singles[:n], embedder)
    tgt = SpanVectors(en, " ", singles[n:], embedder)
    window = max(aligner.anchor_window_min, int(aligner.anchor_window_share * max(n, m)))
    rows, cols, sims = candidate_pairs(src.singles, tgt.singles, k=aligner.anchor_candidates,
                                       window=window)
    band = band_from_anchors(anchor_chain(rows, cols, sims, m), n, m, aligner.band_width)
    scorer = BeadScorer(src, tgt, [len(s) for s in zh], [len(t) for t in en],
                        aligner.weights, band)
    scorer.add_signals(signals_for("zh-Hans", "en", zh, en, aligner.signals), zh, en, band)
    scorer.read_lexicon(cc_cedict(), True)
    return scorer


def decisions(doc: Doc, aligner: EmbeddingAligner, embedder: CachedEmbedder,
              features: tuple[str, ...]) -> np.ndarray:
    """Per pair of cuts where one is right and the other wrong: the right one's summed
    features less the wrong one's (see the module docstring)."""
    _, zh, en, gold = doc
    path: list[Cut] = []
    i = j = 0
    for bead in aligner.align(zh, en):
        path.append((i, i + len(bead.source), j, j + len(bead.target)))
        i, j = path[-1][1], path[-1][3]
    owner_s, owner_t = _owners(gold, len(zh), True), _owners(gold, len(en), False)

    def right(cut: Cut) -> bool:
        owners = set(owner_s[cut[0]:cut[1]].tolist()) | set(owner_t[cut[2]:cut[3]].tolist())
        return len(owners) == 1

    scorer = scorer_for(doc, aligner, embedder)
    choices = [(path[k], path[k + 1], moved_cuts(path[k], path[k + 1], aligner.max_sentences,
                                                  aligner.max_bead_size))
               for k in range(len(path) - 1)
               if path[k][0] < path[k][1] and path[k][2] < path[k][3]
               and path[k + 1][0] < path[k + 1][1] and path[k + 1][2] < path[k + 1][3]]
    wanted = [c for left, right_bead, pairs in choices for c in (left, right_bead)
              + tuple(c for pair in pairs for c in pair)]
    embed_cuts(scorer, wanted)
    values = cut_features(scorer, wanted, features)
    rows = []
    for left, right_bead, pairs in choices:
        here = values[left] + values[right_bead]
        here_right = right(left) and right(right_bead)
        for pair in pairs:
            if (right(pair[0]) and right(pair[1])) != here_right:
                there = values[pair[0]] + values[pair[1]]
                rows.append(here - there if here_right else there - here)
    return np.array(rows).reshape(-1, len(features))


def _owners(gold: list[tuple[tuple[int, ...], tuple[int, ...]]], size: int,
            source: bool) -> np.ndarray:
    """The gold bead of each sentence of one side (unowned ones each their own)."""
    owner = -1 - np.arange(size)
    for g, (s, t) in enumerate(gold):
        owner[list(s if source else t)] = g
    return owner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1]
                        / "bitext" / "core" / "align" / "models" / "boundary_mover-v1.json")
    parser.add_argument("--vectors", type=Path, default=None,
                        help="an .npz file keeping the embeddings between runs")
    parser.add_argument("--features", default=",".join(FEATURES),
                        help="the scorer's features to weigh, comma-separated")
    args = parser.parse_args()
    features = tuple(args.features.split(","))
    if EVIDENCE not in features:
        raise SystemExit(f"--features: {EVIDENCE} must be one (refine.EVIDENCE)")
    start = time.perf_counter()
    docs = training_docs()
    cache = InMemoryEmbeddingCache()
    encoder = USEEncoder()
    load_vectors(args.vectors, cache, encoder.name)
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder, cache=cache,
                               weights=replace(ScoreWeights(), boundaries=None))
    embedder = CachedEmbedder(encoder, cache)
    rows = np.vstack([decisions(doc, aligner, embedder, features) for doc in docs])
    fit = LogisticRegression(fit_intercept=False, max_iter=5000).fit(
        np.vstack([rows, -rows]), np.r_[np.ones(len(rows)), np.zeros(len(rows))])
    model = BoundaryModel(name=args.out.stem, features=features, weights=fit.coef_[0],
                          trained_on=", ".join(d[0] for d in docs))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"{len(docs)} texts ({model.trained_on}): {len(rows)} pairs of cuts, one right "
          f"and one wrong; weights " + ", ".join(
              f"{f} {w:+.3f}" for f, w in zip(features, model.weights, strict=True)))
    golds = [d[3] for d in docs]
    scores = []
    for boundaries in (None, str(args.out)):
        trial = replace(aligner, weights=replace(aligner.weights, boundaries=boundaries))
        outputs = [trial.align(zh, en) for _, zh, en, _ in docs]
        scores.append(score_alignments(golds, [coarsen_to_gold(g, o) for g, o in
                                               zip(golds, outputs, strict=True)]).f1_strict)
    save_vectors(args.vectors, cache, encoder.name, span_texts(docs, aligner.max_sentences))
    print(f"training texts, strict F1 (inside-a-bead splits merged): {scores[0]:.4f} "
          f"without moving boundaries, {scores[1]:.4f} with; wrote {args.out} in "
          f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
