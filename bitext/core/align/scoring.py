"""One score per candidate bead: embedding similarity, length prior and signals combined.

score = (margin similarity + coverage × worst member) × (length agreement)
        + signal_weight × (shared signal keys) − size_penalty × (sentences beyond 1-1)

- margin similarity ("modified cosine", as Bertalign): the cosine of the two spans minus
  the mean cosine of each span with the ``margin_reach`` sentences on each side just
  outside the other span. A bead scores high when its two sides fit each other better
  than they fit their neighbours, which is what separates a right boundary from a
  boundary one sentence off. A neighbour beyond the start or end of the text counts as
  the span's mean cosine with the whole other side: without that, a bead reaching both
  ends of a short text had no neighbours, nothing subtracted, and beat its own
  decomposition (two 1-1 pairs aligned as one 2-2 bead).
- worst member (beads of 3 sentences or more): for each sentence of the bead, its cosine
  with the other side's span minus its cosine with the better of the two sentences just
  outside that span; the smallest, if negative. A multi-sentence bead must not hold a
  sentence that matches a neighbouring bead better.
- length agreement: log2(1 + shorter/longer) of the character lengths, the target's
  scaled by the texts' overall length ratio (1 when lengths agree, → 0 when not).
- signals: numbers, dates and names the two spans share (see ``signals``), counted over
  the sentence pairs inside the bead.

With ``ScoreWeights.model`` set, the same parts (and a dictionary's lexical evidence, see
``lexicon``) are features of a learned logistic model (``learned``) instead: a bead's
search score is its log-odds of being right, a null bead is worth the model's null
log-odds, and ``bead_score`` is the calibrated probability that the bead is exactly right.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from bitext.core.align.learned import BeadModel, load_model
from bitext.core.align.lexicon import Lexicon, lexicon_for
from bitext.core.align.search import Band
from bitext.core.align.shared_keys import SharedKeys
from bitext.core.align.signals import KeySignal
from bitext.core.align.spans import SpanVectors

_CHUNK_CELLS = 4096  # cells scored at once: bounds the temporary (cells × dimensions)


@dataclass(frozen=True)
class ScoreWeights:
    """How the parts of a bead score combine (generic: none depends on a language pair)."""

    signal_weight: float = 0.05
    size_penalty: float = 0.03
    margin: bool = True
    margin_reach: int = 2
    edge_background: bool = True
    coverage: float = 0.4
    optimism: float = 0.1
    length_power: float = 1.0
    model: str | None = None
    """A learned model's name (see ``learned``), or None for the formula above."""
    boundaries: str | None = "boundary_mover-v1"
    """A boundary model's name (see ``refine``): after the search, it moves bead
    boundaries by a sentence where it prefers the moved cut; None keeps the search's."""


_LEXICON_MAX_CHARS = 2000  # a unit's head that is looked up in the dictionary


class BeadScorer:
    """Scores every bead type at every cell of a band, and re-scores cells on request."""

    def __init__(
        self,
        source: SpanVectors,
        target: SpanVectors,
        source_lengths: Sequence[int],
        target_lengths: Sequence[int],
        weights: ScoreWeights,
        band: Band | None = None,
    ):
        self.source, self.target = source, target
        self.weights = weights
        self.n, self.m = len(source), len(target)
        if band is None:
            band = Band(np.zeros(self.n + 1, dtype=np.int64), np.full(self.n + 1, self.m))
        # Which sentences of the other side each span can meet: its bead's own cells, the
        # sentences next to them (margin) and some slack; lookups outside are computed.
        slack = 8 + 2 * weights.margin_reach
        self._src_window = _source_windows(band, self.m, slack)
        self._tgt_window = _target_windows(band, self.n, slack)
        self._tables: dict[tuple[bool, int], _DotTable] = {}
        self._src_chars = np.concatenate([[0], np.cumsum(source_lengths)]).astype(np.float64)
        self._tgt_chars = np.concatenate([[0], np.cumsum(target_lengths)]).astype(np.float64)
        total_target = max(self._tgt_chars[-1], 1.0)
        self._ratio = max(self._src_chars[-1], 1.0) / total_target
        self._keys: SharedKeys | None = None  # set when a pair of sentences shares a key
        self.model: BeadModel | None = load_model(weights.model) if weights.model else None
        self._lexical: _LexicalTable | None = None

    def null_score(self, default: float) -> float:
        """What a 1-0 or 0-1 bead is worth in the search: the model's, else ``default``."""
        model_score = self.model.null_score if self.model is not None else None
        return default if model_score is None else model_score

    def add_lexicon(self, source_language: str, target_language: str) -> None:
        """Read the bilingual dictionary's evidence for the sentence pairs near the band,
        for a learned bead or boundary model (the formula has no use for it) and a pair
        that has a dictionary."""
        if self.model is None and self.weights.boundaries is None:
            return  # the dictionary takes a second to load: only if used
        found = lexicon_for(source_language, target_language)
        if found is not None:
            self.read_lexicon(*found)

    def provides(self, features: Collection[str]) -> bool:
        """Whether ``features`` can compute all of these (the lexical ones need the
        dictionary read)."""
        lexical = {"lexical", "lexical_outside", "lexical_words"}
        return self._lexical is not None or not lexical & set(features)

    def read_lexicon(self, lexicon: Lexicon, source_is_chinese: bool) -> None:
        """Count the dictionary matches of the sentence pairs near the band."""
        start, stop = self._src_window if source_is_chinese else self._tgt_window
        start, stop = start[:-1], np.maximum(stop[1:], start[:-1])  # sentence p: p..p+1
        zh, en = ((self.source, self.target) if source_is_chinese
                  else (self.target, self.source))
        rows = np.repeat(np.arange(len(start)), stop - start)
        cols = np.arange(rows.size) - np.repeat(np.cumsum(stop - start) - (stop - start),
                                                stop - start) + start[rows]
        counts, tokens = lexicon.pair_counts(
            [t[:_LEXICON_MAX_CHARS] for t in zh.texts], [t[:_LEXICON_MAX_CHARS] for t in en.texts],
            rows, cols)
        self._lexical = _LexicalTable(start, stop, counts, tokens, source_is_chinese)

    def add_signals(
        self,
        signals: Sequence[KeySignal],
        source_texts: Sequence[str],
        target_texts: Sequence[str],
        band: Band,
    ) -> None:
        """Read the signals; they count where sentences the band can put together share
        a key."""
        if not signals:
            return
        keys = SharedKeys(signals, source_texts, target_texts, band)
        self._keys = keys if keys else None

    def refresh(self, source_spans: Iterable[tuple[int, int]],
                target_spans: Iterable[tuple[int, int]]) -> None:
        """Recompute the cosines of (length, end) spans that were just embedded."""
        for is_source, spans in ((True, source_spans), (False, target_spans)):
            by_length: dict[int, list[int]] = {}
            for length, end in spans:
                by_length.setdefault(length, []).append(end)
            for length, ends in by_length.items():
                table = self._tables.get((is_source, length))
                if table is not None:
                    table.fill(np.array(sorted(ends), dtype=np.int64))

    def _table(self, is_source: bool, length: int) -> "_DotTable":
        table = self._tables.get((is_source, length))
        if table is None:
            spans, others = ((self.source, self.target) if is_source
                             else (self.target, self.source))
            start, stop = self._src_window if is_source else self._tgt_window
            edges = self.weights.margin and self.weights.edge_background
            table = _DotTable(spans, length, others.singles, start, stop, edges)
            self._tables[(is_source, length)] = table
        return table

    def band_scores(self, band: Band, a: int, b: int,
                    cells: np.ndarray | None = None) -> np.ndarray:
        """Score of the a-b bead ending at each cell of ``band`` (or only at ``cells``,
        flat indices), -inf where the bead would start before the texts do."""
        rows = band.rows if cells is None else band.rows[cells]
        cols = band.cols if cells is None else band.cols[cells]
        out = np.full(rows.size, -np.inf)
        valid = np.flatnonzero((rows >= a) & (cols >= b))
        for start in range(0, valid.size, _CHUNK_CELLS):
            chunk = valid[start:start + _CHUNK_CELLS]
            out[chunk] = self.score(rows[chunk], cols[chunk], a, b)
        if self._keys is not None and valid.size and self._signal_weight:
            self._add_signal(self._keys, out, rows, cols, a, b, self._signal_weight)
        if self.model is not None:
            out[valid] = self.model.search_score(out[valid], a, b)
        return out

    def score(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int) -> np.ndarray:
        """Scores of the beads source[i-a:i] ↔ target[j-b:j], without signals."""
        if self.model is not None:
            return self.model.logit(
                self.features(ends_i, ends_j, a, b, self.model.features), a, b)
        return self._formula(ends_i, ends_j, a, b)

    def _formula(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int,
                 agreement: np.ndarray | None = None) -> np.ndarray:
        """The formula's score (see the module docstring); ``agreement`` is the length
        agreement if already computed."""
        score = self._cosine(ends_i, ends_j, a, b)
        if self.weights.margin:
            score = score - self._neighbours(ends_i, ends_j, a, b)
        if self.weights.coverage and a + b > 2:
            score = score + self.weights.coverage * self._worst(ends_i, ends_j, a, b)
        if agreement is None:
            agreement = self._agreement(ends_i, ends_j, a, b)[0]
        score = score * (agreement if self.weights.length_power == 1 else
                         agreement ** self.weights.length_power)
        if self.weights.size_penalty:
            score = score - self.weights.size_penalty * (a + b - 2)
        return score

    def features(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int,
                 wanted: Collection[str] | None = None) -> dict[str, np.ndarray]:
        """The learned model's features of the beads source[i-a:i] ↔ target[j-b:j] (all,
        or those ``wanted``), but ``signals`` (added by ``band_scores``, or see
        ``signal_feature``)."""
        # What yields two features is one cached call for both.
        agreement = cache(lambda: self._agreement(ends_i, ends_j, a, b))
        parts: dict[str, Callable[[], np.ndarray]] = {
            "formula": lambda: self._formula(ends_i, ends_j, a, b, get("length_agreement")),
            "cosine": lambda: self._cosine(ends_i, ends_j, a, b),
            "neighbours": lambda: self._neighbours(ends_i, ends_j, a, b),
            "margin_x_length": lambda: (get("cosine") - get("neighbours"))
            * get("length_agreement"),
            "worst_member": lambda: (self._worst(ends_i, ends_j, a, b) if a + b > 2
                                     else np.zeros(len(ends_i))),
            "length_agreement": lambda: agreement()[0],
            "length_log_ratio": lambda: agreement()[1],
            "cosine_x_extra": lambda: get("cosine") * (a + b - 2),
        }
        if self._lexical is not None:
            lexical = self._lexical
            coverage = cache(lambda: lexical.features(ends_i, ends_j, a, b))
            parts["lexical"] = lambda: coverage()[0]
            parts["lexical_outside"] = lambda: coverage()[1]
            parts["lexical_words"] = lambda: lexical.matched_words(ends_i, ends_j, a, b)
        done: dict[str, np.ndarray] = {}

        def get(name: str) -> np.ndarray:
            if name not in done:
                done[name] = parts[name]()
            return done[name]

        return {name: get(name) for name in parts if wanted is None or name in wanted}

    def signal_feature(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int,
                       b: int) -> np.ndarray:
        """The weight of the signal keys each bead's sentence pairs share."""
        out = np.zeros(len(ends_i))
        if self._keys is not None and len(ends_i):
            self._add_signal(self._keys, out, ends_i, ends_j, a, b, 1.0)
        return out

    def _cosine(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int) -> np.ndarray:
        source_table, target_table = self._table(True, a), self._table(False, b)
        if b == 1:  # a span against one sentence: a cosine already in the table
            score = source_table.get(ends_i, ends_j - 1)
        elif a == 1:
            score = target_table.get(ends_j, ends_i - 1)
        else:  # a span vector depends on its end only: gather each one once
            rows, at_row = np.unique(ends_i, return_inverse=True)
            cols, at_col = np.unique(ends_j, return_inverse=True)
            source_vectors, _ = self.source.get(a, rows)
            target_vectors, _ = self.target.get(b, cols)
            score = np.einsum("kd,kd->k", source_vectors[at_row],
                              target_vectors[at_col]).astype(np.float64)
        if self.weights.optimism:
            # A stand-in span is scored a little above what it would likely get, so the
            # search picks it (and has it embedded) rather than passing it over.
            stand_in = self.source.stand_in(a, ends_i) | self.target.stand_in(b, ends_j)
            score = score + self.weights.optimism * stand_in
        return score

    def _neighbours(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int,
                    b: int) -> np.ndarray:
        """The margin's background: mean cosine of each span with the other side's
        sentences just outside the other span."""
        reach = self.weights.margin_reach
        return 0.5 * (self._table(True, a).mean_around(ends_i, ends_j - b, ends_j, reach)
                      + self._table(False, b).mean_around(ends_j, ends_i - a, ends_i, reach))

    def _worst(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int) -> np.ndarray:
        """The worst member's lead over its neighbours, if negative (else 0)."""
        source_table, target_table = self._table(True, a), self._table(False, b)
        worst = np.minimum(
            self._worst_member(target_table, ends_j, self._table(True, 1), ends_i, a, b),
            self._worst_member(source_table, ends_i, self._table(False, 1), ends_j, b, a))
        return np.minimum(0.0, worst)

    def _agreement(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int,
                   b: int) -> tuple[np.ndarray, np.ndarray]:
        """Length agreement log2(1 + shorter/longer) and |log(source/target)|, the target's
        length scaled by the texts' overall ratio."""
        src_len = self._src_chars[ends_i] - self._src_chars[ends_i - a]
        tgt_len = (self._tgt_chars[ends_j] - self._tgt_chars[ends_j - b]) * self._ratio
        shorter = np.minimum(src_len, tgt_len)
        longer = np.maximum(np.maximum(src_len, tgt_len), 1e-9)
        return np.log2(1.0 + shorter / longer), np.abs(np.log((src_len + 1) / (tgt_len + 1)))

    @staticmethod
    def _worst_member(span_table: "_DotTable", span_ends: np.ndarray,
                      single_table: "_DotTable", member_ends: np.ndarray,
                      members: int, span_length: int) -> np.ndarray:
        """Over the ``members`` sentences ending at ``member_ends`` (one side of the bead):
        the smallest of (cosine with the other side's span, ending at ``span_ends``) minus
        (cosine with the better of the two sentences just outside that span)."""
        worst = np.full(len(span_ends), np.inf)
        left, right = span_ends - span_length - 1, span_ends
        for k in range(members):
            member = member_ends - members + k
            inside = span_table.get(span_ends, member)
            outside = np.maximum(single_table.get(member + 1, left, missing=-1.0),
                                 single_table.get(member + 1, right, missing=-1.0))
            worst = np.minimum(worst, inside - outside)
        return worst

    def bead_score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The score of one bead, signals included (0 for a null bead); with a model, the
        calibrated probability that the bead is exactly right."""
        if i0 == i1 or j0 == j1:
            return 0.0
        a, b = i1 - i0, j1 - j0
        score = float(self.score(np.array([i1]), np.array([j1]), a, b)[0])
        if self._keys is not None:
            score += self._signal_weight * float(self._keys.shared(
                np.array([i0]), np.array([i1]), np.array([j0]), np.array([j1]))[0])
        if self.model is not None:
            return float(self.model.probability(np.array([score]))[0])
        return score

    @property
    def _signal_weight(self) -> float:
        """The signals' weight; a model without a weight of its own for them counts them
        as part of the formula, at the formula's signal weight."""
        if self.model is None:
            return self.weights.signal_weight
        if "signals" in self.model.features:
            return self.model.weight("signals")
        return self.model.weight("formula") * self.weights.signal_weight

    @staticmethod
    def _add_signal(keys: SharedKeys, out: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                    a: int, b: int, weight: float) -> None:
        """Add ``weight`` × the shared keys where a bead holds a sentence pair sharing
        a key."""
        cells = np.flatnonzero(keys.touched(rows, cols, a, b) & np.isfinite(out))
        if cells.size:
            i, j = rows[cells], cols[cells]
            out[cells] += weight * keys.shared(i - a, i, j - b, j)


class _LexicalTable:
    """Dictionary matches of each Chinese sentence with the English sentences in its
    window, kept as running sums per Chinese sentence so a bead's total is two lookups
    per member. Matches outside a window count as none."""

    def __init__(self, start: np.ndarray, stop: np.ndarray, counts: np.ndarray,
                 tokens: np.ndarray, source_is_chinese: bool):
        self.start, self.width = start, stop - start
        self.offsets = np.concatenate([[0], np.cumsum(self.width + 1)])[:-1]
        self.running = np.zeros(int(np.sum(self.width + 1)))
        pair = 0
        for p, width in enumerate(self.width.tolist()):
            base = int(self.offsets[p])
            self.running[base + 1:base + 1 + width] = np.cumsum(counts[pair:pair + width])
            pair += width
        self.tokens = tokens
        self.tokens_running = np.concatenate([[0.0], np.cumsum(tokens)])
        self.source_is_chinese = source_is_chinese

    def _row_sum(self, p: np.ndarray, e0: np.ndarray, e1: np.ndarray) -> np.ndarray:
        """Matches of Chinese sentence p with English sentences e0..e1-1 (0 if no p)."""
        valid = (p >= 0) & (p < len(self.start))
        row = np.clip(p, 0, len(self.start) - 1)
        start, width, base = self.start[row], self.width[row], self.offsets[row]
        lo, hi = np.clip(e0 - start, 0, width), np.clip(e1 - start, 0, width)
        return np.where(valid, self.running[base + hi] - self.running[base + lo], 0.0)

    def _matched(self, z0: np.ndarray, members: int, e0: np.ndarray,
                 e1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many of the English sentences e0..e1-1's words Chinese sentences
        z0..z0+members-1 account for, and how many words they have."""
        matched = sum(self._row_sum(z0 + k, e0, e1) for k in range(members))
        words = self.tokens_running[np.clip(e1, 0, len(self.tokens))] \
            - self.tokens_running[np.clip(e0, 0, len(self.tokens))]
        return np.minimum(matched, words), words

    def _coverage(self, z0: np.ndarray, members: int, e0: np.ndarray,
                  e1: np.ndarray) -> np.ndarray:
        """Share of the English sentences e0..e1-1's words that Chinese sentences
        z0..z0+members-1 account for."""
        matched, words = self._matched(z0, members, e0, e1)
        return matched / np.maximum(words, 1.0)

    def matched_words(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int,
                      b: int) -> np.ndarray:
        """Per bead: the English words the Chinese span accounts for, in units of the
        text's mean words per English sentence (summed over a path, nearly the same
        however the beads are cut, unless a cut parts words from their translation)."""
        zh_end, zh_len, en_end, en_len = ((ends_i, a, ends_j, b) if self.source_is_chinese
                                          else (ends_j, b, ends_i, a))
        matched, _ = self._matched(zh_end - zh_len, zh_len, en_end - en_len, en_end)
        return matched / max(float(self.tokens.mean()) if len(self.tokens) else 1.0, 1.0)

    def features(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int,
                 b: int) -> tuple[np.ndarray, np.ndarray]:
        """Per bead: the English span's coverage by the Chinese span, and the best
        coverage across the bead's edges (a sentence just outside either span)."""
        zh_end, zh_len, en_end, en_len = ((ends_i, a, ends_j, b) if self.source_is_chinese
                                          else (ends_j, b, ends_i, a))
        zh_start, en_start = zh_end - zh_len, en_end - en_len
        inside = self._coverage(zh_start, zh_len, en_start, en_end)
        outside = np.maximum.reduce([
            self._coverage(zh_start - 1, 1, en_start, en_end),
            self._coverage(zh_end, 1, en_start, en_end),
            self._coverage(zh_start, zh_len, en_start - 1, en_start),
            self._coverage(zh_start, zh_len, en_end, en_end + 1)])
        return inside, outside


class _DotTable:
    """Cosines of one side's spans of one length (by end) with the other side's sentences
    in a window per end, computed once in blocks instead of per cell and bead type.

    Missing sentences (before the first, after the last) read as the span's mean cosine
    with all of the other side's sentences when ``background`` is set.
    """

    _BLOCK = 64

    def __init__(self, spans: SpanVectors, length: int, others: np.ndarray,
                 start: np.ndarray, stop: np.ndarray, background: bool):
        self.spans, self.length, self.others = spans, length, others
        self.start, self.stop = start, stop
        widths = np.where(np.arange(len(start)) >= length, stop - start, 0)
        self.offsets = np.concatenate([[0], np.cumsum(widths)])
        self.values = np.zeros(int(self.offsets[-1]), dtype=np.float32)
        self._mean = others.mean(axis=0) if background and len(others) else None
        self.background = np.zeros(len(start), dtype=np.float32)
        self.fill(np.arange(length, len(start), dtype=np.int64))

    def fill(self, ends: np.ndarray) -> None:
        """(Re)compute the rows of these span ends."""
        for first in range(0, ends.size, self._BLOCK):
            block = ends[first:first + self._BLOCK]
            vectors, _ = self.spans.get(self.length, block)
            if self._mean is not None:
                self.background[block] = vectors @ self._mean
            lo, hi = int(self.start[block].min()), int(self.stop[block].max())
            if hi <= lo:
                continue
            dots = vectors @ self.others[lo:hi].T
            for k, end in enumerate(block.tolist()):
                a, b = int(self.start[end]), int(self.stop[end])
                self.values[self.offsets[end]:self.offsets[end + 1]] = dots[k, a - lo:b - lo]

    def get(self, ends: np.ndarray, others: np.ndarray,
            missing: float | None = None) -> np.ndarray:
        """Cosine of span ``ends[k]`` with sentence ``others[k]``; for a sentence beyond the
        text, ``missing`` if given, else the background (0 without one)."""
        start = self.start[ends]
        inside = (others >= start) & (others < self.stop[ends])
        position = self.offsets[ends] + np.where(inside, others - start, 0)
        out = np.where(inside, self.values[np.minimum(position, self.values.size - 1)]
                       if self.values.size else 0.0, 0.0).astype(np.float64)
        exists = (others >= 0) & (others < len(self.others))
        odd = np.flatnonzero(exists & ~inside)
        if odd.size:  # outside the window: rare, computed directly
            vectors, _ = self.spans.get(self.length, ends[odd])
            out[odd] = np.einsum("kd,kd->k", vectors, self.others[others[odd]])
        if missing is not None:
            out[~exists] = missing
        else:
            out[~exists] = self.background[ends[~exists]]
        return out

    def mean_around(self, ends: np.ndarray, left_end: np.ndarray, right_start: np.ndarray,
                    reach: int) -> np.ndarray:
        """Mean cosine of each span with the ``reach`` sentences before ``left_end`` and the
        ``reach`` from ``right_start`` on (the other side's span lies between)."""
        steps = np.arange(reach)[:, None]  # every neighbour in one lookup, summed in order
        left = self.get(np.tile(ends, reach), (left_end - 1 - steps).ravel())
        right = self.get(np.tile(ends, reach), (right_start + steps).ravel())
        pairs = (left + right).reshape(reach, len(ends))
        total = np.zeros(len(ends))
        for d in range(reach):
            total += pairs[d]
        return total / (2 * reach)


def _source_windows(band: Band, m: int, slack: int) -> tuple[np.ndarray, np.ndarray]:
    """Per source boundary i: the target sentences [start, stop) near the band's rows
    i - slack .. i + slack."""
    n = band.n
    i = np.arange(n + 1)
    start = np.clip(band.lo[np.maximum(i - slack, 0)] - slack, 0, m)
    stop = np.clip(band.hi[np.minimum(i + slack, n)] + slack, 0, m)
    return start.astype(np.int64), np.maximum(stop, start).astype(np.int64)


def _target_windows(band: Band, n: int, slack: int) -> tuple[np.ndarray, np.ndarray]:
    """Per target boundary j: the source sentences [start, stop) whose band rows come
    within ``slack`` of column j."""
    m = int(band.hi[-1])
    j = np.arange(m + 1)
    first_row = np.searchsorted(band.hi, np.maximum(j - slack, 0), side="left")
    last_row = np.searchsorted(band.lo, np.minimum(j + slack, m), side="right") - 1
    start = np.clip(first_row - slack, 0, n)
    stop = np.clip(last_row + slack, 0, n)
    return start.astype(np.int64), np.maximum(stop, start).astype(np.int64)
