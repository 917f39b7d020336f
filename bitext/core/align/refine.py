"""After the search: move a bead boundary by one sentence where a learned rule prefers it.

The search adds up per-bead scores, so where two neighbouring beads could share their
sentences out differently, the cut it picks is the one the formula's scores favour. A
boundary model (``models/boundary_mover-<version>.json``, trained by
``bench/train_boundary_mover.py`` on Bible books and the PRC and CPC constitutions, no MAC
text) weighs, for each way of cutting two neighbouring beads' sentences into two beads
again with the cut moved by at most one sentence on each side, the sum over its beads of
the scorer's features (``scoring.BeadScorer.features``): the formula's score, how many
English words the dictionary finds the Chinese side accounts for, and the numbers and
names both sides share. A cut that parts words from their translation loses them.

A cut is a candidate only if it keeps more words with their translation than the
search's cut and loses no shared number or name (``better_evidenced``): where the
dictionary cannot tell two cuts apart, or a number says the search was right (an
"Article 121" heading kept with 第一百二十一條), the search's cut stands.

The number of beads never changes here (merges and splits stay the search's business:
gold beads coarser than sentences, as the Bible's verses are, cannot teach them), so the
model learns where a boundary belongs, not how fine to cut.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from bitext.core.align.scoring import BeadScorer
from bitext.errors import InputError

Cut = tuple[int, int, int, int]
"""A bead as source[i0:i1] ↔ target[j0:j1]: (i0, i1, j0, j1)."""

_MAX_PASSES = 3  # a moved cut may make its neighbour's cut worth moving: look again

EVIDENCE = "lexical_words"
"""A boundary moves only to a cut that keeps more English words with the Chinese that
the dictionary says they translate: where the dictionary cannot tell the cuts apart, the
search's cut stands (its score saw the same embeddings, lengths and signals). A model
must weigh this feature."""


@dataclass(frozen=True)
class BoundaryModel:
    name: str
    features: tuple[str, ...]
    weights: np.ndarray
    trained_on: str = ""

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name, "trained_on": self.trained_on,
            "features": dict(zip(self.features, self.weights.round(6).tolist(), strict=True)),
        }, indent=1, ensure_ascii=False) + "\n"


def model_from_json(text: str) -> BoundaryModel:
    data = json.loads(text)
    return BoundaryModel(name=data["name"], features=tuple(data["features"]),
                         weights=np.array(list(data["features"].values()), dtype=np.float64),
                         trained_on=data.get("trained_on", ""))


@lru_cache(maxsize=8)
def load_boundary_model(name: str) -> BoundaryModel:
    """A model shipped in ``bitext/core/align/models`` by name, or a model file by path."""
    if name.endswith(".json"):
        path = Path(name)
        if not path.is_file():
            raise InputError(f"boundary model file not found: {name}")
        return model_from_json(path.read_text(encoding="utf-8"))
    shipped = resources.files("bitext.core.align") / "models" / f"{name}.json"
    if not shipped.is_file():
        raise InputError(f"no boundary model named {name!r} ships with bitext")
    return model_from_json(shipped.read_text(encoding="utf-8"))


def moved_cuts(left: Cut, right: Cut, max_sentences: int,
               max_bead_size: int) -> list[tuple[Cut, Cut]]:
    """The other ways of cutting two neighbouring non-null beads' sentences into two
    non-null beads, the boundary moved by at most one sentence on each side."""
    i0, i1, j0, j1 = left
    _, i2, _, j2 = right
    out = []
    for si in (i1 - 1, i1, i1 + 1):
        for sj in (j1 - 1, j1, j1 + 1):
            if (si, sj) == (i1, j1) or not (i0 < si < i2 and j0 < sj < j2):
                continue
            pair = ((i0, si, j0, sj), (si, i2, sj, j2))
            if all(_fits(b, max_sentences, max_bead_size) for b in pair):
                out.append(pair)
    return out


def cut_features(scorer: BeadScorer, cuts: Sequence[Cut],
                 features: Sequence[str]) -> dict[Cut, np.ndarray]:
    """Each non-null cut's features (in ``features`` order), from the scorer (``signals``:
    the weight of the signal keys its sentence pairs share); the spans they use must be
    embedded first (see ``embed_cuts``)."""
    by_type: dict[tuple[int, int], list[Cut]] = {}
    for cut in set(cuts):
        by_type.setdefault((cut[1] - cut[0], cut[3] - cut[2]), []).append(cut)
    out: dict[Cut, np.ndarray] = {}
    for (a, b), group in by_type.items():
        ends_i = np.array([c[1] for c in group])
        ends_j = np.array([c[3] for c in group])
        values = scorer.features(ends_i, ends_j, a, b, features)
        if "signals" in features:
            values["signals"] = scorer.signal_feature(ends_i, ends_j, a, b)
        table = np.column_stack([values[f] for f in features])
        out.update(zip(group, table, strict=True))
    return out


def embed_cuts(scorer: BeadScorer, cuts: Sequence[Cut]) -> None:
    """Embed the multi-sentence spans of ``cuts`` not embedded yet, and let the scorer
    know."""
    src_spans = {(c[1] - c[0], c[1]) for c in cuts if c[1] - c[0] > 1}
    tgt_spans = {(c[3] - c[2], c[3]) for c in cuts if c[3] - c[2] > 1}
    src_spans = {s for s in src_spans if not scorer.source.has(*s)}
    tgt_spans = {s for s in tgt_spans if not scorer.target.has(*s)}
    scorer.source.embed(src_spans)
    scorer.target.embed(tgt_spans)
    scorer.refresh(src_spans, tgt_spans)


def refine_path(path: list[Cut], scorer: BeadScorer, max_sentences: int,
                max_bead_size: int) -> list[Cut]:
    """``path`` with its boundaries moved by the scorer's boundary model
    (``ScoreWeights.boundaries``), or as it is without one or without the features the
    model reads (no dictionary for the language pair)."""
    name = scorer.weights.boundaries
    if name is None:
        return path
    model = load_boundary_model(name)
    if EVIDENCE not in model.features or not scorer.provides(model.features):
        return path
    return move_boundaries(path, scorer, model, max_sentences, max_bead_size)


def move_boundaries(path: list[Cut], scorer: BeadScorer, model: BoundaryModel,
                    max_sentences: int, max_bead_size: int) -> list[Cut]:
    """``path`` with boundaries moved where the model prefers the moved cut: left to
    right, a boundary whose bead just moved waits for the next pass, until a pass moves
    none. The candidates are sifted by their evidence (``better_evidenced``) before any
    span is embedded: the dictionary and the signals need no embedding."""
    path = list(path)
    sift = (EVIDENCE, "signals") if "signals" in model.features else (EVIDENCE,)
    for _ in range(_MAX_PASSES):
        choices = {k: moved_cuts(path[k], path[k + 1], max_sentences, max_bead_size)
                   for k in range(len(path) - 1)
                   if _non_null(path[k]) and _non_null(path[k + 1])}
        cuts = [c for k, pairs in choices.items()
                for c in (*path[k:k + 2], *(c for pair in pairs for c in pair))]
        cheap = cut_features(scorer, cuts, sift)
        choices = {k: kept for k, pairs in choices.items()
                   if (kept := better_evidenced(cheap, (path[k], path[k + 1]), pairs, 0,
                                                1 if len(sift) > 1 else None))}
        if not choices:
            break
        cuts = [c for k, pairs in choices.items()
                for c in (*path[k:k + 2], *(c for pair in pairs for c in pair))]
        embed_cuts(scorer, cuts)
        values = cut_features(scorer, cuts, model.features)
        moved: set[int] = set()
        for k, pairs in choices.items():
            if k in moved:
                continue
            here = (path[k], path[k + 1])
            worth = [float((values[a] + values[b]) @ model.weights) for a, b in [here, *pairs]]
            best = int(np.argmax(worth[1:]))
            if worth[1 + best] > worth[0]:
                path[k], path[k + 1] = pairs[best]
                moved |= {k, k + 1}
        if not moved:
            break
    return path


def better_evidenced(values: dict[Cut, np.ndarray], here: tuple[Cut, Cut],
                     pairs: list[tuple[Cut, Cut]], evidence: int,
                     keys: int | None = None) -> list[tuple[Cut, Cut]]:
    """The pairs of cuts whose ``evidence`` feature sums above that of ``here`` (see
    ``EVIDENCE``) and, if ``keys`` is given, whose ``keys`` feature (the signals: numbers
    and names both sides share) sums no lower."""
    def total(pair: tuple[Cut, Cut], feature: int) -> float:
        return float(values[pair[0]][feature] + values[pair[1]][feature])

    return [p for p in pairs if total(p, evidence) > total(here, evidence) + 1e-9
            and (keys is None or total(p, keys) >= total(here, keys) - 1e-9)]


def _fits(cut: Cut, max_sentences: int, max_bead_size: int) -> bool:
    a, b = cut[1] - cut[0], cut[3] - cut[2]
    return 1 <= a <= max_sentences and 1 <= b <= max_sentences and a + b <= max_bead_size


def _non_null(cut: Cut) -> bool:
    return cut[1] > cut[0] and cut[3] > cut[2]
