"""Moving bead boundaries after the search (core.align.refine): the cuts it considers,
the shipped boundary model, and a misplaced boundary on real zh-en text moved back."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from samples import NOVEL_BEADS as EXPECTED
from samples import NOVEL_EN as EN
from samples import NOVEL_ZH as ZH

from bitext.core.align.cache import CachedEmbedder, InMemoryEmbeddingCache
from bitext.core.align.encoders import USEEncoder
from bitext.core.align.engine import EmbeddingAligner
from bitext.core.align.lexicon import cc_cedict
from bitext.core.align.refine import (
    EVIDENCE,
    better_evidenced,
    load_boundary_model,
    model_from_json,
    move_boundaries,
    moved_cuts,
    refine_path,
)
from bitext.core.align.scoring import BeadScorer, ScoreWeights
from bitext.core.align.spans import SpanVectors
from bitext.errors import InputError

GOLD_PATH = [(s[0], s[-1] + 1, t[0], t[-1] + 1) for s, t in EXPECTED]


@given(st.lists(st.integers(1, 4), min_size=2, max_size=2),
       st.lists(st.integers(1, 4), min_size=2, max_size=2),
       st.integers(1, 6), st.integers(2, 8))
def test_moved_cuts_share_out_the_same_sentences_anew(source, target, max_sentences,
                                                      max_bead_size):
    """Every alternative covers exactly the two beads' sentences, in two non-null beads
    within the size limits, its boundary at most one sentence from the old one."""
    left = (0, source[0], 0, target[0])
    right = (source[0], sum(source), target[0], sum(target))
    for new_left, new_right in moved_cuts(left, right, max_sentences, max_bead_size):
        assert (new_left[0], new_right[1], new_left[2], new_right[3]) == (
            0, sum(source), 0, sum(target))
        assert new_left[1] == new_right[0] and new_left[3] == new_right[2]
        assert (new_left, new_right) != (left, right)
        assert abs(new_left[1] - left[1]) <= 1 and abs(new_left[3] - left[3]) <= 1
        for i0, i1, j0, j1 in (new_left, new_right):
            assert 1 <= i1 - i0 <= max_sentences and 1 <= j1 - j0 <= max_sentences
            assert i1 - i0 + j1 - j0 <= max_bead_size


def test_two_one_sentence_beads_have_nothing_to_move():
    assert moved_cuts((0, 1, 0, 1), (1, 2, 1, 2), 6, 7) == []


def test_shipped_boundary_model_loads_and_was_not_trained_on_mac():
    model = load_boundary_model(ScoreWeights().boundaries or "")
    assert model.features == ("formula", EVIDENCE, "signals")
    assert np.all(model.weights > 0)  # a better score, more words kept: a better cut
    assert "mac" not in model.trained_on.lower() and "GAL" in model.trained_on
    again = model_from_json(model.to_json())
    assert again.features == model.features and np.allclose(again.weights, model.weights)


def test_an_unknown_boundary_model_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no boundary model named"):
        load_boundary_model("boundary_mover-v0")
    with pytest.raises(InputError, match="not found"):
        load_boundary_model(str(tmp_path / "missing.json"))


def test_a_move_needs_more_dictionary_evidence_and_keeps_every_shared_key():
    """Only cuts that keep more words with their translation, and lose no number or name
    both sides share, are candidates (columns: formula, lexical words, signals)."""
    here = ((0, 1, 0, 2), (1, 2, 2, 3))
    better = ((0, 1, 0, 1), (1, 2, 1, 3))
    same_words = ((0, 2, 0, 1), (2, 3, 1, 3))
    loses_a_key = ((0, 2, 0, 2), (2, 3, 2, 3))
    values = {here[0]: np.array([0.5, 1.0, 1.0]), here[1]: np.array([0.5, 1.0, 0.0]),
              better[0]: np.array([0.1, 1.5, 1.0]), better[1]: np.array([0.1, 1.0, 0.0]),
              same_words[0]: np.array([0.9, 1.0, 1.0]), same_words[1]: np.array([0.9, 1.0, 0.0]),
              loses_a_key[0]: np.array([0.9, 2.0, 0.0]), loses_a_key[1]: np.array([0.9, 1.0, 0.0])}
    pairs = [better, same_words, loses_a_key]
    assert better_evidenced(values, here, pairs, 1, 2) == [better]
    assert better_evidenced(values, here, pairs, 1) == [better, loses_a_key]


@pytest.fixture(scope="module")
def novel_scorer():
    """A scorer over the novel passage with the dictionary read, as the engine builds it."""
    encoder = USEEncoder()
    embedder = CachedEmbedder(encoder, InMemoryEmbeddingCache())
    singles = embedder.embed([*ZH, *EN])
    scorer = BeadScorer(SpanVectors(ZH, "", singles[:len(ZH)], embedder),
                        SpanVectors(EN, " ", singles[len(ZH):], embedder),
                        [len(s) for s in ZH], [len(s) for s in EN], ScoreWeights())
    scorer.read_lexicon(cc_cedict(), True)
    return scorer


def test_a_sentence_cut_from_its_translation_moves_back(novel_scorer):
    """"The sky was dark." put with the next bead instead of with 天色很暗 goes back."""
    misplaced = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 4), (3, 4, 4, 5), (4, 5, 5, 6)]
    model = load_boundary_model(ScoreWeights().boundaries or "")
    assert move_boundaries(misplaced, novel_scorer, model, 6, 7) == GOLD_PATH
    assert move_boundaries(GOLD_PATH, novel_scorer, model, 6, 7) == GOLD_PATH


def test_no_model_or_no_dictionary_keeps_the_search_path(novel_scorer):
    misplaced = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 4), (3, 4, 4, 5), (4, 5, 5, 6)]
    encoder = USEEncoder()
    embedder = CachedEmbedder(encoder, InMemoryEmbeddingCache())
    singles = embedder.embed([*ZH, *EN])
    for weights, lexicon in ((ScoreWeights(boundaries=None), True), (ScoreWeights(), False)):
        scorer = BeadScorer(SpanVectors(ZH, "", singles[:len(ZH)], embedder),
                            SpanVectors(EN, " ", singles[len(ZH):], embedder),
                            [len(s) for s in ZH], [len(s) for s in EN], weights)
        if lexicon:
            scorer.read_lexicon(cc_cedict(), True)
        assert refine_path(misplaced, scorer, 6, 7) == misplaced
    assert refine_path(misplaced, novel_scorer, 6, 7) == GOLD_PATH


def test_the_engine_aligns_the_passage_with_boundaries_moved_or_not():
    encoder = USEEncoder()
    for boundaries in (ScoreWeights().boundaries, None):
        aligner = EmbeddingAligner("zh-Hans", "en", encoder=encoder,
                                   weights=ScoreWeights(boundaries=boundaries))
        beads = aligner.align(ZH, EN)
        assert [(b.source, b.target) for b in beads] == EXPECTED
