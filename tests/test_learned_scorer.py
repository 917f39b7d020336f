"""The learned bead scorer: CC-CEDICT evidence, the lexical table, the shipped model, and
the engine aligning real zh-en text with it."""

import fnmatch
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import NOVEL_BEADS as EXPECTED
from samples import NOVEL_EN as EN
from samples import NOVEL_ZH as ZH

from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.learned import DEFAULT_MODEL, load_model, model_from_json, type_name
from bitext.core.align.lexicon import cc_cedict, english_stems, lexicon_for
from bitext.core.align.scoring import BeadScorer, ScoreWeights, _LexicalTable
from bitext.errors import InputError


def test_dictionary_glosses_chinese_words_with_english_stems():
    stems = cc_cedict().chinese_stems("起初神创造天地。")
    assert {"god", "creat", "heaven", "earth"} <= stems
    assert english_stems("In the beginning God created the heavens") == [
        "begin", "god", "creat", "heaven"]


def test_pair_counts_favour_the_translation():
    lexicon = cc_cedict()
    rows, cols = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    counts, words = lexicon.pair_counts(["窗外下着大雨。", "他们开车去了新疆。"],
                                        ["It was raining hard outside the window.",
                                         "They drove to Xinjiang."], rows, cols)
    assert counts[0] > counts[1] and counts[3] > counts[2]
    assert list(words) == [4, 2]  # rain hard outsid window / drove xinjiang


def test_only_chinese_english_has_a_dictionary():
    found = lexicon_for("zh-Hant", "en-GB")
    assert found is not None and found[1] is True
    found = lexicon_for("en", "zh-Hans")
    assert found is not None and found[1] is False
    assert lexicon_for("fr", "de") is None
    assert lexicon_for("zh-Hans", "fr") is None


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_lexical_table_sums_match_a_direct_count(data):
    """Bead coverage read from running sums equals the sum over the bead's sentence pairs
    (pairs outside a sentence's window count as none)."""
    n = data.draw(st.integers(1, 8))
    m = data.draw(st.integers(1, 8))
    starts = sorted(data.draw(st.lists(st.integers(0, m), min_size=n, max_size=n)))
    stops = [max(s, data.draw(st.integers(0, m))) for s in starts]
    start, stop = np.array(starts), np.array(stops)
    dense = np.zeros((n, m))
    for p in range(n):
        for q in range(starts[p], stops[p]):
            dense[p, q] = data.draw(st.integers(0, 3))
    tokens = np.array(data.draw(st.lists(st.integers(0, 5), min_size=m, max_size=m)), float)
    counts = np.concatenate([dense[p, starts[p]:stops[p]] for p in range(n)])
    table = _LexicalTable(start, stop, counts, tokens, source_is_chinese=True)
    a, b = data.draw(st.integers(1, n)), data.draw(st.integers(1, m))
    ends_i = np.arange(a, n + 1).repeat(m - b + 1)
    ends_j = np.tile(np.arange(b, m + 1), n - a + 1)
    inside, outside = table.features(ends_i, ends_j, a, b)

    def coverage(z0, z1, e0, e1):
        z0, z1, e0, e1 = max(z0, 0), min(z1, n), max(e0, 0), min(e1, m)
        matched = dense[z0:z1, e0:e1].sum() if z1 > z0 and e1 > e0 else 0.0
        words = tokens[e0:e1].sum() if e1 > e0 else 0.0
        return min(matched, words) / max(words, 1.0)

    for k, (i, j) in enumerate(zip(ends_i.tolist(), ends_j.tolist(), strict=True)):
        assert inside[k] == pytest.approx(coverage(i - a, i, j - b, j))
        edges = [coverage(i - a - 1, i - a, j - b, j) if i - a > 0 else 0.0,
                 coverage(i, i + 1, j - b, j) if i < n else 0.0,
                 coverage(i - a, i, j - b - 1, j - b) if j - b > 0 else 0.0,
                 coverage(i - a, i, j, j + 1) if j < m else 0.0]
        assert outside[k] == pytest.approx(max(edges))


def test_shipped_model_loads_and_its_calibration_is_a_probability():
    model = load_model(DEFAULT_MODEL)
    assert model.name == DEFAULT_MODEL
    assert model.features[0] == "formula" and "lexical" in model.features
    assert "mac" not in model.trained_on.lower()
    logits = np.linspace(-20, 20, 81)
    probabilities = model.probability(logits)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert np.all(np.diff(probabilities) >= 0)  # more log-odds never means less confidence
    assert probabilities[-1] > probabilities[0]
    again = model_from_json(model.to_json())
    assert again.features == model.features and np.allclose(again.weights, model.weights)
    assert dict(again.type_intercepts) == dict(model.type_intercepts)
    assert {type_name(a, b) for a in range(1, 7) for b in range(1, 7)} \
        <= set(model.type_intercepts)


def test_an_unknown_model_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no bead model named"):
        load_model("bead_scorer-v0")
    with pytest.raises(InputError, match="not found"):
        load_model(str(tmp_path / "missing.json"))


def test_model_file_is_package_data():
    """The wheel carries the model: pyproject's package-data patterns match its path."""
    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["bitext"]
    shipped = sorted((root / "bitext" / "core" / "align" / "models").glob("*.json"))
    assert shipped
    for path in shipped:
        relative = path.relative_to(root / "bitext").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


@pytest.fixture(scope="module")
def use_encoder():
    return USEEncoder()


def test_engine_with_the_model_aligns_real_text_and_scores_probabilities(use_encoder):
    aligner = EmbeddingAligner("zh-Hans", "en", encoder=use_encoder,
                               weights=ScoreWeights(model=DEFAULT_MODEL))
    beads = aligner.align(ZH, EN)
    assert [(b.source, b.target) for b in beads] == EXPECTED
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    # The same text with an unrelated sentence slipped into the English: found as a null
    # bead, and every sentence still in exactly one bead.
    noisy = [*EN[:4], "The stock market closed higher on Tuesday.", *EN[4:]]
    beads = aligner.align(ZH, noisy)
    assert sorted(i for b in beads for i in b.source) == list(range(len(ZH)))
    assert sorted(j for b in beads for j in b.target) == list(range(len(noisy)))
    assert ((), (4,)) in [(b.source, b.target) for b in beads]


def test_features_are_those_the_model_reads(use_encoder):
    """Every feature the shipped model weighs is one the scorer computes (or signals)."""
    from bitext.core.align.cache import CachedEmbedder
    from bitext.core.align.spans import SpanVectors

    embedder = CachedEmbedder(use_encoder, None)
    vectors = embedder.embed([*ZH, *EN])
    src = SpanVectors(ZH, "", vectors[:len(ZH)], embedder)
    tgt = SpanVectors(EN, " ", vectors[len(ZH):], embedder)
    scorer = BeadScorer(src, tgt, [len(t) for t in ZH], [len(t) for t in EN],
                        ScoreWeights(model=DEFAULT_MODEL))
    scorer.add_lexicon("zh-Hans", "en")
    values = scorer.features(np.array([1, 2]), np.array([1, 3]), 1, 1)
    assert set(load_model(DEFAULT_MODEL).features) <= {*values, "signals"}
    assert values["lexical"][0] > 0  # 实验室 ↔ laboratory, 走进 ↔ walked
    assert load_model(DEFAULT_MODEL).null_score is None  # the shipped model keeps the
    assert scorer.null_score(-0.2) == -0.2                # engine's null score


def test_search_score_is_the_formula_corrected_by_the_dictionary(use_encoder):
    """In the formula's units, the shipped model's search score is the formula's score
    (signals included) plus the dictionary evidence at its learned relative weight."""
    from bitext.core.align.cache import CachedEmbedder
    from bitext.core.align.search import Band
    from bitext.core.align.signals import signals_for
    from bitext.core.align.spans import SpanVectors

    embedder = CachedEmbedder(use_encoder, None)
    vectors = embedder.embed([*ZH, *EN])
    band = Band(np.zeros(len(ZH) + 1, dtype=np.int64), np.full(len(ZH) + 1, len(EN)))
    scorers = []
    for model in (None, DEFAULT_MODEL):
        src = SpanVectors(ZH, "", vectors[:len(ZH)], embedder)
        tgt = SpanVectors(EN, " ", vectors[len(ZH):], embedder)
        scorer = BeadScorer(src, tgt, [len(t) for t in ZH], [len(t) for t in EN],
                            ScoreWeights(model=model), band)
        scorer.add_signals(signals_for("zh-Hans", "en", ZH, EN), ZH, EN, band)
        scorer.add_lexicon("zh-Hans", "en")
        scorers.append(scorer)
    formula, learned = scorers
    model = load_model(DEFAULT_MODEL)
    for a, b in ((1, 1), (1, 2), (2, 1)):
        ok = (band.rows >= a) & (band.cols >= b)
        lexical = learned.features(band.rows[ok], band.cols[ok], a, b)["lexical"]
        expected = formula.band_scores(band, a, b)[ok] \
            + model.weight("lexical") / model.weight("formula") * lexical
        assert np.allclose(learned.band_scores(band, a, b)[ok], expected)
