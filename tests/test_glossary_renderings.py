"""How well the rendering of a term is found inside its aligned sentence pair, measured on
222 hand-checked occurrences (tests/data/glossary_renderings_checked.json: the demo
documents and the CPC Constitution, up to four occurrences per glossary term).

A found rendering is right when it has the same content words as the one the translator
used (case, plural, articles and punctuation aside). The phrase statistics are those of
the fixture's own pairs, as a small library would have.
"""

import json
from pathlib import Path

from bitext.core.glossary.entry import parse_entry
from bitext.core.glossary.renderings import words
from bitext.core.glossary.usage import Pair
from bitext.services.glossary import LibraryUsage

FIXTURE = Path(__file__).parent / "data" / "glossary_renderings_checked.json"
MIN_PRECISION = 0.9
MIN_FOUND = 0.9  # share of occurrences with a rendering for which one is proposed


def _key(text: str) -> tuple[str, ...]:
    return tuple(w.stem for w in words(text) if not w.function)


def test_renderings_found_in_aligned_pairs_are_precise(record_property):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    entries = [parse_entry({"term": term, "canonical": renderings[0],
                            "variants": renderings[1:]})
               for term, renderings in data["renderings"].items()]
    occurrences = data["occurrences"]
    pairs = {(o["original"], o["translation"]): Pair(o["document"], None, k, o["original"],
                                                    o["translation"])
             for k, o in enumerate(occurrences)}
    usage = LibraryUsage(list(pairs.values()), {e.term: e for e in entries})
    found = {(u.pair.original, u.pair.translation, term, u.start): u.rendering
             for term in usage.places for u in usage.uses(term)}
    right = wrong = missed = 0
    for o in occurrences:
        rendering = found[(o["original"], o["translation"], o["term"], o["start"])]
        if rendering is None:
            missed += o["expected"] is not None
        elif o["expected"] is not None and _key(rendering.text) == _key(o["expected"]):
            right += 1
        else:
            wrong += 1
    with_rendering = sum(o["expected"] is not None for o in occurrences)
    precision = right / (right + wrong)
    record_property("rendering_precision", f"{precision:.3f} ({right}/{right + wrong})")
    record_property("rendering_recall", f"{right / with_rendering:.3f}")
    assert len(occurrences) >= 100
    assert precision >= MIN_PRECISION
    assert (right + wrong) / len(occurrences) >= MIN_FOUND
