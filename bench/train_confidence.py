"""Fit the bead confidence model (``bitext.core.align.confidence``) on text that is not MAC
and not a demo document.

    python bench/train_confidence.py [--out bitext/core/align/models/confidence-v1.json]

Gold: the CPC Constitution (210 paragraph pairs) and Bible books (CUV ↔ WEB, a verse is a
paragraph pair). Each is aligned as the library aligns a document's paragraphs (the
default engine), in its own layout and in layouts that real documents have and that make
the aligner err, each made from the gold so the right answer stays known:

- headings on a line of their own on one side ("Article 3" above its text, as the HK
  Basic Law's English has them);
- lines hard-wrapped mid-sentence on one side (a list item per line: 委员长，/ 副委员长若干人，);
- notes (註： / Note: and a footnote) put after a different paragraph on each side;
- paragraphs left untranslated.

A bead the aligner makes is right when it holds exactly the lines of one gold group on
each side. A logistic regression (scikit-learn) over ``confidence.FEATURES`` is fitted on
every document; its log-odds are mapped to probabilities by isotonic regression fitted on
out-of-fold log-odds (two folds by document), so the map is not fitted on the model's own
training fit. Prints the reliability diagram of those out-of-fold probabilities.
"""

import argparse
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from align_mac import DATA
from bible import CUV, WEB, read_verses
from bible import DATA as BIBLE
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from bitext.core.align.cache import InMemoryEmbeddingCache
from bitext.core.align.confidence import FEATURES, BeadConfidence, BeadText, bead_features
from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import EmbeddingAligner

BIBLE_BOOKS = ("RUT", "JON", "JAS")
CPC_SEEDS = 3  # the one text with articles and chapters: laid out three times as often
Line = tuple[str, int]  # a line's text and its gold group
Layout = tuple[str, list[Line], list[Line]]  # name, Chinese lines, English lines


def cpc_constitution() -> list[tuple[str, str]]:
    folder = DATA / "corpus" / "versions" / "cpc-constitution-2017-en"
    zh = (folder / "zh.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "en.txt").read_text(encoding="utf-8").splitlines()
    return list(zip(zh, en, strict=True))


def bible_book(book: str) -> list[tuple[str, str]]:
    zh, en = read_verses(BIBLE / CUV), read_verses(BIBLE / WEB)
    return [(text, en[verse]) for verse, text in zh.items()
            if verse.split(".")[0] == book and verse in en]


def plain(pairs: list[tuple[str, str]]) -> tuple[list[Line], list[Line]]:
    return ([(z, k) for k, (z, _) in enumerate(pairs)],
            [(e, k) for k, (_, e) in enumerate(pairs)])


_EN_HEADING = re.compile(r"^((?:Article|Chapter|Section) [\dIVXLC]+)[.:]?\s+(\S.*)$")


def headings_apart(zh: list[Line], en: list[Line], rng: random.Random
                   ) -> tuple[list[Line], list[Line]]:
    """English headings on a line of their own above their text."""
    out: list[Line] = []
    for text, group in en:
        if match := _EN_HEADING.match(text):
            out += [(match.group(1), group), (match.group(2), group)]
        else:
            out.append((text, group))
    return zh, out


def hard_wrapped(zh: list[Line], en: list[Line], rng: random.Random
                 ) -> tuple[list[Line], list[Line]]:
    """One line in eight, on a random side, broken after a comma."""
    def wrap(lines: list[Line], commas: str) -> list[Line]:
        out: list[Line] = []
        for text, group in lines:
            cuts = [m.end() for m in re.finditer(f"[{commas}]", text)][:3]
            if cuts and rng.random() < 0.25:
                at = rng.choice(cuts)
                out += [(text[:at].strip(), group), (text[at:].strip(), group)]
            else:
                out.append((text, group))
        return out
    return (wrap(zh, "，、"), en) if rng.random() < 0.5 else (zh, wrap(en, ","))


def notes_displaced(zh: list[Line], en: list[Line], rng: random.Random
                    ) -> tuple[list[Line], list[Line]]:
    """A note (heading and footnote) after one paragraph in Chinese and after the next
    one in English, every twelve paragraphs or so."""
    zh_out, en_out = list(zh), list(en)
    groups = max(g for _, g in zh) + 1
    notes = 0
    for where in sorted(rng.sample(range(2, len(zh) - 2), k=max(1, len(zh) // 12)),
                        reverse=True):
        notes += 2
        heading, footnote = groups + notes, groups + notes + 1
        number = rng.randint(2, 30)
        zh_note = [("註：", heading), (f"* 參閱第{number}號文件的有關規定。", footnote)]
        en_note = [("Note:", heading),
                   (f"* See the relevant provisions of Instrument {number}.", footnote)]
        shift = rng.choice((0, 1, 1))
        zh_out[where:where] = zh_note
        en_at = next(k for k, (_, g) in enumerate(en_out) if g == zh[where][1]) + shift
        en_out[en_at:en_at] = en_note
    return zh_out, en_out


def untranslated(zh: list[Line], en: list[Line], rng: random.Random
                 ) -> tuple[list[Line], list[Line]]:
    """One paragraph in thirty left out of the English."""
    return zh, [line for line in en if rng.random() > 1 / 30]


VARIANTS: dict[str, Callable[[list[Line], list[Line], random.Random],
                             tuple[list[Line], list[Line]]]] = {
    "headings": headings_apart, "wrapped": hard_wrapped, "notes": notes_displaced,
    "untranslated": untranslated,
}


def layouts(name: str, pairs: list[tuple[str, str]], seed: int) -> list[Layout]:
    zh, en = plain(pairs)
    out: list[Layout] = [(name, zh, en)]
    rng = random.Random(seed)
    for variant, make in VARIANTS.items():
        z, e = make(zh, en, rng)
        out.append((f"{name}/{variant}", z, e))
    z, e = zh, en
    for make in VARIANTS.values():  # everything at once, as in a badly laid out document
        z, e = make(z, e, rng)
    out.append((f"{name}/all", z, e))
    return out


def labelled(layout: Layout, aligner: EmbeddingAligner) -> tuple[np.ndarray, np.ndarray]:
    """Features and right/wrong of the beads the aligner makes on one layout."""
    _, zh, en = layout
    beads = aligner.align([t for t, _ in zh], [t for t, _ in en])
    zh_groups: dict[int, set[int]] = {}
    en_groups: dict[int, set[int]] = {}
    for k, (_, g) in enumerate(zh):
        zh_groups.setdefault(g, set()).add(k)
    for k, (_, g) in enumerate(en):
        en_groups.setdefault(g, set()).add(k)
    right = []
    for bead in beads:
        groups = {zh[i][1] for i in bead.source} | {en[j][1] for j in bead.target}
        ok = len(groups) == 1 and all(
            set(bead.source) == zh_groups.get(g, set())
            and set(bead.target) == en_groups.get(g, set()) for g in groups)
        right.append(ok)
    texts = [BeadText([zh[i][0] for i in b.source], [en[j][0] for j in b.target], b.score)
             for b in beads]
    return bead_features(texts, "zh-Hans", "en"), np.array(right)


def reliability(probabilities: np.ndarray, right: np.ndarray, bins: int = 10) -> None:
    print("  predicted   observed   beads")
    edges = np.linspace(0, 1, bins + 1)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (probabilities >= low) & ((probabilities < high) | (high == 1))
        if inside.any():
            print(f"  {probabilities[inside].mean():9.3f}  {right[inside].mean():9.3f}"
                  f"  {int(inside.sum()):6d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path("bitext/core/align/models/confidence-v1.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    texts = [(f"cpc-constitution-2017#{seed}", cpc_constitution()) for seed in range(CPC_SEEDS)]
    texts += [(book, bible_book(book)) for book in BIBLE_BOOKS]
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=USEEncoder(),
                               cache=InMemoryEmbeddingCache())
    features, labels, folds = [], [], []
    for fold, (name, pairs) in enumerate(texts):
        for layout in layouts(name, pairs, seed=fold):
            x, y = labelled(layout, aligner)
            features.append(x)
            labels.append(y)
            folds.append(np.full(len(y), fold % 2))
            print(f"{layout[0]:32s} beads {len(y):5d}  right {y.mean():.3f}")
    x, y, fold_of = np.vstack(features), np.concatenate(labels), np.concatenate(folds)
    out_of_fold = np.zeros(len(y))
    for fold in (0, 1):
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit(x[fold_of != fold], y[fold_of != fold])
        out_of_fold[fold_of == fold] = model.decision_function(x[fold_of == fold])
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
    isotonic.fit(out_of_fold, y)
    final = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    knots = np.unique(np.round(isotonic.X_thresholds_, 4), return_index=True)[1]
    confidence = BeadConfidence(
        name=args.out.stem, weights=final.coef_[0], intercept=float(final.intercept_[0]),
        calibration_logits=isotonic.X_thresholds_[knots],
        calibration_probabilities=isotonic.y_thresholds_[knots],
        trained_on="cpc-constitution-2017, " + ", ".join(BIBLE_BOOKS)
                   + " (CUV-WEB); each plain and in 5 layouts: " + ", ".join(VARIANTS))
    args.out.write_text(confidence.to_json(), encoding="utf-8")
    predicted = isotonic.predict(out_of_fold)
    print(f"\nbeads {len(y)}, right {y.mean():.3f}; weights:")
    for name, weight in zip(FEATURES, final.coef_[0], strict=True):
        print(f"  {name:22s} {weight:+.3f}")
    print("\nshare right where a yes/no feature is set:")
    for k, name in enumerate(FEATURES):
        if set(np.unique(x[:, k])) <= {0.0, 1.0} and x[:, k].any():
            on = x[:, k] == 1
            print(f"  {name:22s} {y[on].mean():.3f} of {int(on.sum())}")
    print("\nreliability, out of fold (training texts):")
    reliability(predicted, y)
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        flagged = predicted < threshold
        wrong = ~y.astype(bool)
        precision = (flagged & wrong).sum() / max(1, flagged.sum())
        recall = (flagged & wrong).sum() / max(1, wrong.sum())
        print(f"  flag below {threshold:.1f}: precision {precision:.3f} recall {recall:.3f}")
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
