"""Long documents: alignment in windows gives the beads one window over everything gives,
reports progress, and single-sentence paragraphs are their own sentence beads."""

import random

from bitext.core.align import align_document
from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import EmbeddingAligner


def _pair(n: int, seed: int = 3) -> tuple[list[str], list[str]]:
    """Paragraphs of random words; the "translation" changes some words, splits a few
    paragraphs and drops one now and then (the shape of bench/align_scale.py)."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
                  for _ in range(3000)]
    source = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 30)))
              for _ in range(n)]
    target: list[str] = []
    for text in source:
        words = [rng.choice(vocabulary) if rng.random() < 0.1 else w for w in text.split()]
        roll = rng.random()
        if roll < 0.02:
            continue
        if roll < 0.1:
            half = len(words) // 2
            target += [" ".join(words[:half]), " ".join(words[half:])]
        else:
            target.append(" ".join(words))
    return source, target


def _aligner(window_units: int, **kwargs) -> EmbeddingAligner:
    return EmbeddingAligner("en", "en", encoder=HashingEncoder(dimensions=256),
                            window_units=window_units, **kwargs)


def test_windows_give_the_beads_of_one_window():
    source, target = _pair(600)
    whole = _aligner(5000).align(source, target)
    heard: list[tuple[int, int]] = []
    windowed = _aligner(120, progress=lambda done, total: heard.append((done, total))).align(
        source, target)
    assert [(b.source, b.target) for b in windowed] == [(b.source, b.target) for b in whole]
    assert len(heard) > 4 and heard[-1] == (600, 600)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)


def test_short_texts_are_one_window_and_hear_no_progress():
    heard: list[tuple[int, int]] = []
    source, target = _pair(50)
    beads = _aligner(2000, progress=lambda *told: heard.append(told)).align(source, target)
    assert beads and heard == []


def test_single_sentence_paragraphs_are_their_own_sentence_beads():
    source, target = _pair(80)
    aligner = _aligner(2000)
    told: list[tuple[int, int]] = []
    alignment = align_document([[p] for p in source], [[p] for p in target], aligner,
                               progress=lambda done, total: told.append((done, total)))
    assert alignment.sentences == alignment.paragraphs
    assert told[-1] == (len(alignment.paragraphs), len(alignment.paragraphs))
