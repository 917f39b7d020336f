"""Long documents: alignment in windows is as right as one window over everything, stays
right where one text drifts ahead of the other, reports progress, and single-sentence
paragraphs are their own sentence beads."""

import random
from collections import Counter

from bitext.core.align import Bead, align_document
from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import EmbeddingAligner

Pair = tuple[list[str], list[str], set[tuple[tuple[int, ...], tuple[int, ...]]]]


def _pair(n: int, seed: int = 3, split_share: float = 0.08,
          split_from: int = 0) -> Pair:
    """Paragraphs of random words; the "translation" changes some words, splits some
    paragraphs (``split_share`` of those from ``split_from`` on) and drops one now and
    then (the shape of bench/align_scale.py). Also returns the true beads."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
                  for _ in range(3000)]
    source = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 30)))
              for _ in range(n)]
    target: list[str] = []
    truth: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    for k, text in enumerate(source):
        words = [rng.choice(vocabulary) if rng.random() < 0.1 else w for w in text.split()]
        roll = rng.random()
        if roll < 0.02:
            truth.add(((k,), ()))
        elif roll < 0.02 + (split_share if k >= split_from else 0.0):
            half = len(words) // 2
            truth.add(((k,), (len(target), len(target) + 1)))
            target += [" ".join(words[:half]), " ".join(words[half:])]
        else:
            truth.add(((k,), (len(target),)))
            target.append(" ".join(words))
    return source, target, truth


def _right(beads: list[Bead], truth: set) -> int:
    return sum((b.source, b.target) in truth for b in beads)


def _aligner(window_units: int, **kwargs) -> EmbeddingAligner:
    return EmbeddingAligner("en", "en", encoder=HashingEncoder(dimensions=256),
                            window_units=window_units, **kwargs)


def test_windows_are_as_right_as_one_window():
    source, target, truth = _pair(600)
    whole = _aligner(5000).align(source, target)
    heard: list[tuple[int, int]] = []
    windowed = _aligner(120, progress=lambda done, total: heard.append((done, total))).align(
        source, target)
    assert _right(windowed, truth) >= _right(whole, truth) >= 0.95 * len(truth)
    assert len(heard) > 4 and heard[-1] == (600, 600)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)


def test_windows_follow_a_translation_that_drifts_ahead():
    """From paragraph 100 on, 60% of the paragraphs are split in two: the translation
    runs ahead of the slope of the texts as a whole, so a window's anchors must be looked
    for where the last window left off, not on that slope (narrowly, to show it)."""
    source, target, truth = _pair(800, split_share=0.6, split_from=100)
    beads = _aligner(200, anchor_window_min=20).align(source, target)
    assert _right(beads, truth) >= 0.95 * len(truth)


def test_short_texts_are_one_window_and_hear_no_progress():
    heard: list[tuple[int, int]] = []
    source, target, _ = _pair(50)
    beads = _aligner(2000, progress=lambda *told: heard.append(told)).align(source, target)
    assert beads and heard == []


def test_single_sentence_paragraphs_are_their_own_sentence_beads():
    source, target, _ = _pair(80)
    aligner = _aligner(2000)
    told: list[tuple[int, int]] = []
    alignment = align_document([[p] for p in source], [[p] for p in target], aligner,
                               progress=lambda done, total: told.append((done, total)))
    assert alignment.sentences == alignment.paragraphs
    assert told[-1] == (len(alignment.paragraphs), len(alignment.paragraphs))


class _CountingEncoder(HashingEncoder):
    """Counts how often each text is embedded."""

    def __init__(self) -> None:
        super().__init__(dimensions=256)
        self.seen: Counter[str] = Counter()

    def encode(self, texts):
        self.seen.update(texts)
        return super().encode(texts)


def test_windows_embed_the_text_they_share_once_without_a_cache():
    """A window starts where the last one's kept beads end, so the two read the same
    units; without a cache of the caller's, the alignment keeps its own."""
    source, target, _ = _pair(600)
    encoder = _CountingEncoder()
    aligner = EmbeddingAligner("en", "en", encoder=encoder, window_units=120)
    assert aligner.cache is None
    aligner.align(source, target)
    assert set(source) | set(target) <= set(encoder.seen)
    assert max(encoder.seen.values()) == 1
    assert aligner.stats["embedded"] == len(encoder.seen)
    for part in ("embedding", "signals", "scoring", "search"):  # the time split, in seconds
        assert 0 <= aligner.stats[part] < 600
