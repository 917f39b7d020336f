"""Fit the learned bead scorer (``bitext.core.align.learned``) on text that is not MAC.

    python bench/train_bead_scorer.py [--out bitext/core/align/models/bead_scorer-v1.json]

Training texts, each with gold beads of whole sentences once both sides are split by our
splitter: Bible books (CUV ↔ WEB and CUV ↔ KJV; a verse is a gold bead, none of the books
``align_mac.py`` reports on), the 2018 PRC Constitution (paragraphs paired within each
article when both sides have as many, else the article is one bead) and the CPC
Constitution (its 210 paragraph pairs). No MAC text is read.

1. Features: for every candidate bead of the engine's band (every span of up to
   ``SPAN_LIMIT`` sentences embedded, as the search's refinement would), the scorer's
   features. A candidate equal to a gold bead is right; one crossing a gold boundary is
   wrong; one lying inside a single gold bead says nothing (the gold is coarser than a
   sentence there) and is left out.
2. A logistic regression (scikit-learn) over the chosen features (``--features``; the
   formula's own score always, the signals counted in it at its weight unless chosen
   apart) with one intercept per bead type. The search then adds up the formula's score
   corrected by the other features, in the formula's units (``BeadModel.search``), and
   keeps the engine's null score.
3. Calibration: isotonic regression of "exactly right" on the log-odds of the beads the
   training texts' alignments with the model produce (beads inside one gold bead left
   out). Those texts are easy (most beads right), so the calibration is optimistic on
   literary text: ``align_mac.py`` prints the reliability diagram on MAC-Dev.

Takes about 5 minutes on 2 busy cores, most of it embedding; ``--vectors FILE`` keeps the
embeddings for the next run.
"""

import argparse
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from align_mac import DATA, Doc, load_bible
from bible import KJV
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from bitext.core.align.cache import CachedEmbedder, InMemoryEmbeddingCache, text_hash
from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.evaluate import Pair, coarsen_to_gold, score_alignments
from bitext.core.align.learned import TYPES, BeadModel, type_name
from bitext.core.align.lexicon import cc_cedict
from bitext.core.align.scoring import BeadScorer
from bitext.core.align.search import anchor_chain, band_from_anchors, candidate_pairs
from bitext.core.align.spans import SpanVectors
from bitext.core.text.sentences import split_sentences

WEB_BOOKS = ("GAL", "1TH", "COL", "2TI")
KJV_BOOKS = ("EPH", "1JN", "HAG", "TIT")
SPAN_LIMIT = 4  # longest span embedded for training: 5 and 6 are rare and costly to embed
ALL_FEATURES = ("formula", "cosine", "neighbours", "margin_x_length", "worst_member",
                "length_agreement", "length_log_ratio", "cosine_x_extra", "lexical",
                "lexical_outside", "lexical_words", "signals")
FEATURES = ("formula", "lexical")
"""The default fit (training-text strict F1 0.987, MAC-Dev 0.894). Tried as well, as
training-text / MAC-Dev strict F1 (MAC-Dev a development set, Bible books as in
align_mac.py): formula + lexical + lexical_outside 0.973 / 0.851; that + length_log_ratio
+ worst_member 0.950 / 0.762; formula + lexical + lexical_outside + signals at their own
weight 0.986 / 0.891; formula + lexical_words 0.986 / 0.894; formula + lexical +
lexical_words 0.989 / 0.879 (Bible 0.978). Every one of them scores below the formula
alone on MAC-Dev (0.902), and most above it on the Bible books (0.960)."""
TYPE_COLUMNS = (*(f"{a}-{b}" for a, b in TYPES), "larger")
NEGATIVE_SHARE = 0.25  # of the wrong candidates kept (weighted back up), for speed


def paragraph_doc(name: str, pairs: list[tuple[list[str], list[str]]]) -> Doc:
    """A document from paragraph groups (Chinese paragraphs, English paragraphs), each
    group split into sentences and made one gold bead."""
    zh: list[str] = []
    en: list[str] = []
    gold: list[Pair] = []
    for zh_group, en_group in pairs:
        zh_part = [s for p in zh_group for s in split_sentences(p, "zh-Hans")]
        en_part = [s for p in en_group for s in split_sentences(p, "en")]
        gold.append((tuple(range(len(zh), len(zh) + len(zh_part))),
                     tuple(range(len(en), len(en) + len(en_part)))))
        zh += zh_part
        en += en_part
    return name, zh, en, gold


def prc_constitution() -> Doc:
    """Paragraphs between article headings; paired one to one where counts agree."""
    folder = DATA / "corpus" / "docs" / "prc-constitution-2018"
    zh = (folder / "zh.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "en.txt").read_text(encoding="utf-8").splitlines()
    heading = re.compile(r"第[一二三四五六七八九十百零]+条")
    zh_starts = [k for k, line in enumerate(zh) if heading.match(line)]
    en_starts = [k for k, line in enumerate(en) if re.match(r"Article \d+\b", line)]
    if len(zh_starts) != len(en_starts):
        sys.exit("the Constitution's article headings do not pair up")
    pairs: list[tuple[list[str], list[str]]] = []
    bounds = list(zip([0, *zh_starts], [*zh_starts, len(zh)], [0, *en_starts],
                      [*en_starts, len(en)], strict=True))
    for z0, z1, e0, e1 in bounds:
        zh_lines = [line for line in zh[z0:z1] if line.strip()]
        en_lines = [line for line in en[e0:e1] if line.strip()]
        if len(zh_lines) == len(en_lines):
            pairs.extend(([z], [e]) for z, e in zip(zh_lines, en_lines, strict=True))
        elif zh_lines or en_lines:
            pairs.append((zh_lines, en_lines))
    return paragraph_doc("prc-constitution-2018", pairs)


def cpc_constitution() -> Doc:
    folder = DATA / "corpus" / "versions" / "cpc-constitution-2017-en"
    zh = (folder / "zh.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "en.txt").read_text(encoding="utf-8").splitlines()
    return paragraph_doc("cpc-constitution-2017", [([z], [e]) for z, e in
                                                   zip(zh, en, strict=True)])


def training_docs() -> list[Doc]:
    return [*load_bible(WEB_BOOKS), *load_bible(KJV_BOOKS, KJV),
            prc_constitution(), cpc_constitution()]


def candidate_rows(doc: Doc, aligner: EmbeddingAligner, embedder: CachedEmbedder,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (with type columns), labels and sample weights of a document's candidate
    beads (see the module docstring, step 1)."""
    _, zh, en, gold = doc
    n = len(zh)
    singles = embedder.embed([*zh, *en])
    src = SpanVectors(zh, "", singles[:n], embedder)
    tgt = SpanVectors(en, " ", singles[n:], embedder)
    window = max(aligner.anchor_window_min, int(aligner.anchor_window_share * max(n, len(en))))
    rows, cols, sims = candidate_pairs(src.singles, tgt.singles, k=aligner.anchor_candidates,
                                       window=window)
    band = band_from_anchors(anchor_chain(rows, cols, sims, len(en)), n, len(en),
                             aligner.band_width)
    limit = min(aligner.max_sentences, SPAN_LIMIT)
    src.embed((a, i) for a in range(2, limit + 1) for i in range(a, n + 1))
    tgt.embed((b, int(j)) for b in range(2, limit + 1) for j in np.unique(band.cols) if j >= b)
    scorer = BeadScorer(src, tgt, [len(s) for s in zh], [len(t) for t in en],
                        replace(aligner.weights, optimism=0.0), band)
    if aligner.signals:
        from bitext.core.align.signals import signals_for
        scorer.add_signals(signals_for("zh-Hans", "en", zh, en, aligner.signals), zh, en, band)
    scorer.read_lexicon(cc_cedict(), True)
    src_owner, tgt_owner = _owners(gold, n, True), _owners(gold, len(en), False)
    starts = {g: (min(s), max(s) + 1, min(t), max(t) + 1) for g, (s, t) in enumerate(gold)
              if s and t}
    features, labels, weights = [], [], []
    for a in range(1, limit + 1):
        for b in range(1, limit + 1):
            if a + b > aligner.max_bead_size:
                continue
            ok = (band.rows >= a) & (band.cols >= b)
            i, j = band.rows[ok], band.cols[ok]
            first, last = src_owner[i - a], src_owner[i - 1]
            inside = (first == last) & (tgt_owner[j - b] == first) & (tgt_owner[j - 1] == first)
            exact = np.array([inside[k] and starts.get(int(first[k])) ==
                              (int(i[k] - a), int(i[k]), int(j[k] - b), int(j[k]))
                              for k in range(len(i))], dtype=bool)
            keep = exact | (~inside & (rng.random(len(i)) < NEGATIVE_SHARE))
            i, j, exact = i[keep], j[keep], exact[keep]
            values = scorer.features(i, j, a, b)
            values["signals"] = scorer.signal_feature(i, j, a, b)
            column = np.zeros((len(i), len(TYPE_COLUMNS)))
            column[:, TYPE_COLUMNS.index(type_name(a, b))] = 1.0
            features.append(np.hstack([np.column_stack([values[f] for f in ALL_FEATURES]),
                                       column]))
            labels.append(exact)
            weights.append(np.where(exact, 1.0, 1.0 / NEGATIVE_SHARE))
    return np.vstack(features), np.concatenate(labels), np.concatenate(weights)


def span_texts(docs: list[Doc], limit: int) -> list[str]:
    """Every span of up to ``limit`` sentences of the documents, as embedded."""
    return [joiner.join(side[e - a:e]) for _, zh, en, _ in docs
            for side, joiner in ((zh, ""), (en, " "))
            for a in range(1, limit + 1) for e in range(a, len(side) + 1)]


def _owners(gold: list[Pair], size: int, source: bool) -> np.ndarray:
    """The gold bead of each sentence of one side (-1-k for unowned ones: all differ)."""
    owner = -1 - np.arange(size)
    for g, (s, t) in enumerate(gold):
        owner[list(s if source else t)] = g
    return owner


def fit(features: np.ndarray, labels: np.ndarray, weights: np.ndarray,
        names: tuple[str, ...]) -> tuple[np.ndarray, dict[str, float]]:
    """Weights of the named features, then one intercept per type column."""
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=5000)
    model.fit(features, labels, sample_weight=weights)
    coef = model.coef_[0]
    return coef[:len(names)], dict(zip(TYPE_COLUMNS, coef[len(names):].tolist(),
                                       strict=True))


def align_all(docs: list[Doc], aligner: EmbeddingAligner) -> list[list[Pair]]:
    return [[(b.source, b.target) for b in aligner.align(zh, en)] for _, zh, en, _ in docs]


def with_model(aligner: EmbeddingAligner, model: BeadModel, folder: Path) -> EmbeddingAligner:
    path = folder / f"{model.name}-{abs(hash(model.to_json()))}.json"
    path.write_text(model.to_json(), encoding="utf-8")
    return replace(aligner, weights=replace(aligner.weights, model=str(path)))


def load_vectors(path: Path | None, cache: InMemoryEmbeddingCache, model: str) -> None:
    """Vectors kept from an earlier run (``--vectors``), so a re-run embeds nothing."""
    if path is not None and path.is_file():
        with np.load(path) as saved:
            cache.put_many(model, dict(zip(saved["hashes"].tolist(), saved["vectors"],
                                           strict=True)))


def save_vectors(path: Path | None, cache: InMemoryEmbeddingCache, model: str,
                 texts: list[str]) -> None:
    if path is None:
        return
    found = cache.get_many(model, [text_hash(t) for t in texts])
    np.savez(path, hashes=np.array(list(found)), vectors=np.array(list(found.values())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1]
                        / "bitext" / "core" / "align" / "models" / "bead_scorer-v1.json")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bead_scorer"),
                        help="a folder for the candidates' features and the models tried")
    parser.add_argument("--vectors", type=Path, default=None,
                        help="an .npz file keeping the embeddings between runs")
    parser.add_argument("--features", default=",".join(FEATURES),
                        help=f"the features to fit, of: {', '.join(ALL_FEATURES)}")
    args = parser.parse_args()
    chosen = tuple(args.features.split(","))
    if not set(chosen) <= set(ALL_FEATURES) or "formula" not in chosen:
        sys.exit(f"--features: choose among {', '.join(ALL_FEATURES)}, formula included")
    args.work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    docs = training_docs()
    cache = InMemoryEmbeddingCache()
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=USEEncoder(), cache=cache)
    embedder = CachedEmbedder(aligner.encoder, cache)
    load_vectors(args.vectors, cache, aligner.encoder.name)
    rng = np.random.default_rng(15)
    parts = [candidate_rows(doc, aligner, embedder, rng) for doc in docs]
    save_vectors(args.vectors, cache, aligner.encoder.name, span_texts(docs, SPAN_LIMIT))
    features = np.vstack([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    weights = np.concatenate([p[2] for p in parts])
    print(f"{len(docs)} texts ({', '.join(d[0] for d in docs)}), "
          f"{sum(len(d[3]) for d in docs)} gold beads; {len(labels)} candidates kept, "
          f"{int(labels.sum())} right; {time.perf_counter() - start:.0f} s")
    if "signals" not in chosen:  # then they count in the formula, as the scorer does
        features[:, ALL_FEATURES.index("formula")] += (
            aligner.weights.signal_weight * features[:, ALL_FEATURES.index("signals")])
    columns = [ALL_FEATURES.index(f) for f in chosen]
    columns += list(range(len(ALL_FEATURES), features.shape[1]))  # the type columns
    coef, intercepts = fit(features[:, columns], labels, weights, chosen)
    print("weights: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(chosen, coef, strict=True)))
    print("type intercepts: " + ", ".join(f"{t} {w:+.2f}" for t, w in intercepts.items()))
    identity = np.linspace(-30, 30, 601)
    model = BeadModel(name=args.out.stem, features=chosen, weights=coef,
                      type_intercepts=intercepts, null_score=None,
                      calibration_logits=identity,
                      calibration_probabilities=1 / (1 + np.exp(-identity)),
                      trained_on=", ".join(d[0] for d in docs))
    trial = with_model(aligner, model, args.work)
    golds = [d[3] for d in docs]
    outputs = align_all(docs, trial)
    f1 = score_alignments(golds, [coarsen_to_gold(g, o) for g, o in
                                  zip(golds, outputs, strict=True)]).f1_strict
    logits, right = calibration_points(docs, trial)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(logits, right)
    model = replace(model, calibration_logits=np.asarray(iso.X_thresholds_),
                    calibration_probabilities=np.asarray(iso.y_thresholds_))
    save_vectors(args.vectors, cache, aligner.encoder.name,
                 span_texts(docs, aligner.max_sentences))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"training texts aligned with it: strict F1 {f1:.4f} (inside-a-bead splits merged); "
          f"calibrated on {len(right)} beads ({right.mean():.3f} right); wrote {args.out} "
          f"in {time.perf_counter() - start:.0f} s")


def calibration_points(docs: list[Doc], aligner: EmbeddingAligner) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Log-odds and rightness of the non-null beads the aligner produces (the model's
    calibration is still the plain logistic one, so a score inverts to its log-odds)."""
    logits, right = [], []
    for _, zh, en, gold in docs:
        exact = {(tuple(s), tuple(t)) for s, t in gold}
        owner_s = {i: g for g, (s, _) in enumerate(gold) for i in s}
        owner_t = {j: g for g, (_, t) in enumerate(gold) for j in t}
        for bead in aligner.align(zh, en):
            if not bead.source or not bead.target:
                continue
            owners = {owner_s.get(i) for i in bead.source} | {owner_t.get(j)
                                                                for j in bead.target}
            hit = (bead.source, bead.target) in exact
            if not hit and len(owners) == 1 and None not in owners:
                continue  # inside one gold bead: neither right nor wrong at this grain
            p = min(max(bead.score, 1e-4), 1 - 1e-4)
            logits.append(np.log(p / (1 - p)))
            right.append(float(hit))
    return np.array(logits), np.array(right)


if __name__ == "__main__":
    main()
